namespace TaskPool.Samples.Imaging;

/// <summary>Names for a <see cref="ThumbnailFormat"/> on the wire and on disk.</summary>
public static class ThumbnailFormatExtensions
{
    /// <summary>The MIME content type: <c>image/jpeg</c>, <c>image/png</c> or <c>image/webp</c>.</summary>
    /// <param name="format">The format.</param>
    /// <returns>The content type.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined value.</exception>
    public static string GetContentType(this ThumbnailFormat format) => format switch
    {
        ThumbnailFormat.Jpeg => "image/jpeg",
        ThumbnailFormat.Png => "image/png",
        ThumbnailFormat.Webp => "image/webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown thumbnail format."),
    };

    /// <summary>The usual file name extension, with its dot: <c>.jpg</c>, <c>.png</c> or <c>.webp</c>.</summary>
    /// <param name="format">The format.</param>
    /// <returns>The extension.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined value.</exception>
    public static string GetFileExtension(this ThumbnailFormat format) => format switch
    {
        ThumbnailFormat.Jpeg => ".jpg",
        ThumbnailFormat.Png => ".png",
        ThumbnailFormat.Webp => ".webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown thumbnail format."),
    };
}
