namespace TaskPool.Samples.Imaging;

/// <summary>
/// Why <see cref="ThumbnailGenerator"/> refused an input or its options. The HTTP status in each
/// summary is the mapping a server is expected to use; the pipeline itself knows nothing about HTTP.
/// </summary>
public enum ImageRejectionReason
{
    /// <summary>The input holds no bytes at all (400 Bad Request).</summary>
    Empty,

    /// <summary>The input is larger than <see cref="ImageLimits.MaxInputBytes"/> (413 Content Too Large).</summary>
    TooLarge,

    /// <summary>The input is not an image in any container we recognise (400 Bad Request).</summary>
    NotAnImage,

    /// <summary>
    /// The input is a recognised image container that this pipeline does not decode, such as TIFF,
    /// HEIF/HEIC, AVIF, JPEG XL, JPEG 2000, PSD, SVG or WBMP (415 Unsupported Media Type).
    /// </summary>
    UnsupportedFormat,

    /// <summary>The image is truncated or otherwise corrupt and cannot be decoded (400 Bad Request).</summary>
    Truncated,

    /// <summary>
    /// The image header declares more pixels than <see cref="ImageLimits.MaxPixels"/>, as a decompression
    /// bomb does; it is refused before any pixel buffer is allocated (400 Bad Request).
    /// </summary>
    TooManyPixels,

    /// <summary>The requested width or height is missing, not a number, or outside 1..4096 (400 Bad Request).</summary>
    BadDimensions,

    /// <summary>The requested format, quality or fit is not recognised or out of range (400 Bad Request).</summary>
    BadOptions,
}
