using SkiaSharp;

namespace TaskPool.Samples.Imaging;

/// <summary>The geometry of the eight EXIF orientations (<see cref="SKEncodedOrigin"/>).</summary>
internal static class ImageOrientation
{
    /// <summary>Whether displaying the image upright swaps its width and height (orientations 5 to 8).</summary>
    public static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>
    /// The matrix that maps a stored image of <paramref name="width"/> by <paramref name="height"/> pixels
    /// onto its upright display (the same as Skia's SkEncodedOriginToMatrix). Every entry is 0 or ±1 and the
    /// translations are whole pixels, so pixel centers land exactly on pixel centers.
    /// </summary>
    public static SKMatrix ToUpright(SKEncodedOrigin origin, int width, int height) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, width, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, width, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, height, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, height, -1, 0, width, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, width, 0, 0, 1),
        _ => SKMatrix.Identity,
    };
}
