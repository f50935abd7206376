using SkiaSharp;

namespace TaskPool.Samples.Imaging.Tests;

/// <summary>Decodes test outputs and measures their pixels.</summary>
internal static class ImageProbe
{
    /// <summary>Decodes an encoded image to unpremultiplied RGBA (no orientation applied).</summary>
    public static SKBitmap Decode(ReadOnlyMemory<byte> encoded)
    {
        using SKData data = SKData.CreateCopy(encoded.Span);
        using SKCodec codec = SKCodec.Create(data) ?? throw new InvalidOperationException("Output does not decode.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        SKCodecResult result = codec.GetPixels(info, bitmap.GetPixels());
        Assert.Equal(SKCodecResult.Success, result);
        return bitmap;
    }

    /// <summary>The encoded format as Skia detects it from the bytes.</summary>
    public static SKEncodedImageFormat FormatOf(ReadOnlyMemory<byte> encoded)
    {
        using SKData data = SKData.CreateCopy(encoded.Span);
        using SKCodec codec = SKCodec.Create(data) ?? throw new InvalidOperationException("Output does not decode.");
        return codec.EncodedFormat;
    }

    /// <summary>Asserts that two colors differ by at most <paramref name="tolerance"/> in every channel, alpha included.</summary>
    public static void AssertNear(SKColor expected, SKColor actual, int tolerance, string where)
    {
        bool near = Math.Abs(expected.Red - actual.Red) <= tolerance
            && Math.Abs(expected.Green - actual.Green) <= tolerance
            && Math.Abs(expected.Blue - actual.Blue) <= tolerance
            && Math.Abs(expected.Alpha - actual.Alpha) <= tolerance;
        Assert.True(near, $"{where}: expected {expected}, got {actual} (tolerance {tolerance}).");
    }

    /// <summary>The mean color over all pixels.</summary>
    public static (double Red, double Green, double Blue) MeanColor(SKBitmap bitmap)
    {
        double red = 0, green = 0, blue = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                red += c.Red;
                green += c.Green;
                blue += c.Blue;
            }
        }

        double n = (double)bitmap.Width * bitmap.Height;
        return (red / n, green / n, blue / n);
    }

    /// <summary>The mean absolute difference of the red, green and blue channels of two images of the same size, in levels of 255.</summary>
    public static double MeanAbsoluteDifference(SKBitmap first, SKBitmap second)
    {
        Assert.Equal((first.Width, first.Height), (second.Width, second.Height));
        double sum = 0;
        for (int y = 0; y < first.Height; y++)
        {
            for (int x = 0; x < first.Width; x++)
            {
                SKColor a = first.GetPixel(x, y);
                SKColor b = second.GetPixel(x, y);
                sum += Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue);
            }
        }

        return sum / (3.0 * first.Width * first.Height);
    }

    /// <summary>Mean and standard deviation of the red channel over the ring between two radii around the center.</summary>
    public static (double Mean, double StandardDeviation) RingStatistics(SKBitmap bitmap, double innerRadius, double outerRadius)
    {
        double centerX = bitmap.Width / 2.0;
        double centerY = bitmap.Height / 2.0;
        double sum = 0, sumOfSquares = 0;
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                double dx = x + 0.5 - centerX;
                double dy = y + 0.5 - centerY;
                double r = Math.Sqrt((dx * dx) + (dy * dy));
                if (r < innerRadius || r > outerRadius)
                {
                    continue;
                }

                double v = bitmap.GetPixel(x, y).Red;
                sum += v;
                sumOfSquares += v * v;
                count++;
            }
        }

        double mean = sum / count;
        return (mean, Math.Sqrt(Math.Max(0, (sumOfSquares / count) - (mean * mean))));
    }
}
