namespace TaskPool.Samples.Imaging;

/// <summary>
/// The library that decodes, resizes and encodes a thumbnail. Both give the same sizes, orientation, fit and output formats, and
/// both keep the same bad-input contract: too many pixels are refused from the header before any pixel is decoded, and a
/// truncated or corrupt file is refused with an <see cref="ImageRejectedException"/>, never a crash.
/// </summary>
public enum ThumbnailEngine
{
    /// <summary>SkiaSharp: scaled decode, exact 2x2 halving, then a managed Lanczos-3 resampler.</summary>
    Skia,

    /// <summary>
    /// libvips (NetVips, in-process): shrink-on-load, Lanczos-3 reduce, all in one pass over the image with one libvips thread
    /// per call, so the pool owns the parallelism. BMP and ICO, which libvips does not read, go through <see cref="Skia"/>.
    /// </summary>
    Vips,
}
