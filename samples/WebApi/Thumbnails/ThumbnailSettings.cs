using TaskPool.Samples.Imaging;

namespace TaskPool.Samples.WebApi.Thumbnails;

/// <summary>Limits and engine of <c>POST /thumbnail</c>, bound from the <c>Thumbnails</c> configuration section.</summary>
public sealed class ThumbnailSettings
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Thumbnails";

    /// <summary>The largest request body accepted, in bytes; larger ones get 413 before they are read. Default 20 MiB.</summary>
    public long MaxRequestBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>The most pixels an image's header may claim; more is a decompression bomb, refused with 400 before any pixel buffer exists. Default 50 megapixels.</summary>
    public long MaxPixels { get; set; } = 50_000_000;

    /// <summary>
    /// The library that makes thumbnails: <see cref="ThumbnailEngine.Vips"/> (the default, libvips in-process with one libvips thread
    /// per pool worker) or <see cref="ThumbnailEngine.Skia"/>. Both refuse bad input the same way and answer with the same statuses.
    /// </summary>
    public ThumbnailEngine Engine { get; set; } = ThumbnailGenerator.DefaultEngine;

    /// <summary>Where thumbnails run: <see cref="ThumbnailIsolation.Thread"/> (default, the "images" worker pool) or <see cref="ThumbnailIsolation.Process"/> (a pool of child processes).</summary>
    public ThumbnailIsolation Isolation { get; set; } = ThumbnailIsolation.Thread;

    /// <summary>The number of child processes with <see cref="ThumbnailIsolation.Process"/>, 1..64. Default 2.</summary>
    public int ProcessCount { get; set; } = 2;
}
