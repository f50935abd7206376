namespace TaskPool.Samples.Imaging;

/// <summary>Upper bounds that protect a server from oversized uploads and decompression bombs.</summary>
public sealed class ImageLimits
{
    /// <summary>The default pixel limit: 50 megapixels.</summary>
    public const long DefaultMaxPixels = 50_000_000;

    /// <summary>The default input size limit: 20 MiB.</summary>
    public const long DefaultMaxInputBytes = 20L * 1024 * 1024;

    /// <summary>Creates limits.</summary>
    /// <param name="maxPixels">The most pixels (width times height, as declared by the image header) an image may have.</param>
    /// <param name="maxInputBytes">The most bytes an encoded input may have.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative.</exception>
    public ImageLimits(long maxPixels = DefaultMaxPixels, long maxInputBytes = DefaultMaxInputBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxInputBytes);
        MaxPixels = maxPixels;
        MaxInputBytes = maxInputBytes;
    }

    /// <summary>The default limits: 50 megapixels and 20 MiB.</summary>
    public static ImageLimits Default { get; } = new();

    /// <summary>
    /// The most pixels (width times height, as declared by the image header) an image may have.
    /// Decoding needs 4 bytes per pixel at full scale, so the default allows up to about 200 MB of pixels.
    /// </summary>
    public long MaxPixels { get; }

    /// <summary>The most bytes an encoded input may have.</summary>
    public long MaxInputBytes { get; }
}
