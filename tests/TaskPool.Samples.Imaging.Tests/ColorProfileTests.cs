using SkiaSharp;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.Imaging.Tests;

/// <summary>An image tagged with another color space comes out as sRGB (the thumbnail carries no profile, so it is read as sRGB).</summary>
public class ColorProfileTests
{
    private static readonly SKColor s_displayP3Color = new(200, 90, 40);

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_DisplayP3Jpeg_ConvertsColorsToSrgb(ThumbnailEngine engine)
    {
        byte[] input = DisplayP3Jpeg(s_displayP3Color, 400, 300);
        SKColor expected = ToSrgb(s_displayP3Color);

        ThumbnailResult result = ThumbnailGenerator.Generate(input, new ThumbnailOptions(40, 30, ThumbnailFormat.Png), ImageLimits.Default, engine);

        // The test can fail: Display P3 and sRGB numbers for this orange differ by far more than the tolerance.
        Assert.True(Math.Abs(expected.Red - s_displayP3Color.Red) + Math.Abs(expected.Green - s_displayP3Color.Green) > 20, $"sRGB {expected}");
        using SKBitmap output = ImageProbe.Decode(result.Data);
        ImageProbe.AssertNear(expected, output.GetPixel(20, 15), 4, "center");
    }

    private static byte[] DisplayP3Jpeg(SKColor color, int width, int height)
    {
        using SKColorSpace displayP3 = SKColorSpace.CreateRgb(SKColorSpaceTransferFn.Srgb, SKColorSpaceXyz.DisplayP3);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque, displayP3));
        Fill(bitmap, color);
        using SKPixmap pixels = bitmap.PeekPixels();
        using SKData encoded = pixels.Encode(new SKJpegEncoderOptions(95, SKJpegEncoderDownsample.Downsample444, SKJpegEncoderAlphaOption.Ignore))
            ?? throw new InvalidOperationException("Skia could not encode the JPEG.");
        return encoded.ToArray();
    }

    /// <summary>The color's sRGB numbers, converted by Skia.</summary>
    private static SKColor ToSrgb(SKColor displayP3Color)
    {
        using SKColorSpace displayP3 = SKColorSpace.CreateRgb(SKColorSpaceTransferFn.Srgb, SKColorSpaceXyz.DisplayP3);
        using var source = new SKBitmap(new SKImageInfo(1, 1, SKColorType.Rgba8888, SKAlphaType.Opaque, displayP3));
        Fill(source, displayP3Color);
        using var target = new SKBitmap(new SKImageInfo(1, 1, SKColorType.Rgba8888, SKAlphaType.Opaque, SKColorSpace.CreateSrgb()));
        using (SKPixmap from = source.PeekPixels())
        using (SKPixmap to = target.PeekPixels())
        {
            Assert.True(from.ReadPixels(to));
        }

        return target.GetPixel(0, 0);
    }

    /// <summary>Writes the color's numbers as they are into the bitmap's own color space (<see cref="SKBitmap.Erase(SKColor)"/> would convert from sRGB).</summary>
    private static void Fill(SKBitmap bitmap, SKColor color)
    {
        Span<byte> pixels = bitmap.GetPixelSpan();
        for (int i = 0; i < pixels.Length; i += 4)
        {
            pixels[i] = color.Red;
            pixels[i + 1] = color.Green;
            pixels[i + 2] = color.Blue;
            pixels[i + 3] = 255;
        }
    }
}
