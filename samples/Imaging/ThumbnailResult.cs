namespace TaskPool.Samples.Imaging;

/// <summary>An encoded thumbnail and what the pipeline learned about its source.</summary>
public sealed class ThumbnailResult
{
    internal ThumbnailResult(
        byte[] data,
        ThumbnailFormat format,
        int width,
        int height,
        SourceImageFormat sourceFormat,
        int sourceWidth,
        int sourceHeight,
        int sourceOrientation)
    {
        Data = data;
        Format = format;
        Width = width;
        Height = height;
        SourceFormat = sourceFormat;
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        SourceOrientation = sourceOrientation;
    }

    /// <summary>The encoded thumbnail.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The encoding of <see cref="Data"/>.</summary>
    public ThumbnailFormat Format { get; }

    /// <summary>The MIME content type of <see cref="Data"/>, e.g. <c>image/jpeg</c>.</summary>
    public string ContentType => Format.GetContentType();

    /// <summary>The thumbnail width in pixels.</summary>
    public int Width { get; }

    /// <summary>The thumbnail height in pixels.</summary>
    public int Height { get; }

    /// <summary>The container the source was decoded from.</summary>
    public SourceImageFormat SourceFormat { get; }

    /// <summary>The source width in pixels as displayed, that is after its EXIF orientation is applied.</summary>
    public int SourceWidth { get; }

    /// <summary>The source height in pixels as displayed, that is after its EXIF orientation is applied.</summary>
    public int SourceHeight { get; }

    /// <summary>The source's EXIF orientation, 1..8 (1 when it has none); the thumbnail is always upright.</summary>
    public int SourceOrientation { get; }
}
