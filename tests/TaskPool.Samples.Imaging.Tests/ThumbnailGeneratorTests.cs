using SkiaSharp;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.Imaging.Tests;

public class ThumbnailGeneratorTests
{
    public static TheoryData<ThumbnailEngine, ThumbnailFormat, ThumbnailFormat> FormatPairs()
    {
        var data = new TheoryData<ThumbnailEngine, ThumbnailFormat, ThumbnailFormat>();
        foreach (ThumbnailEngine engine in Enum.GetValues<ThumbnailEngine>())
        {
            foreach (ThumbnailFormat input in Enum.GetValues<ThumbnailFormat>())
            {
                foreach (ThumbnailFormat output in Enum.GetValues<ThumbnailFormat>())
                {
                    data.Add(engine, input, output);
                }
            }
        }

        return data;
    }

    public static TheoryData<ThumbnailEngine, int, int, int, int, int, int> ContainCases()
    {
        var data = new TheoryData<ThumbnailEngine, int, int, int, int, int, int>();
        foreach (ThumbnailEngine engine in Enum.GetValues<ThumbnailEngine>())
        {
            data.Add(engine, 640, 480, 200, 200, 200, 150);
            data.Add(engine, 480, 640, 200, 200, 150, 200);
            data.Add(engine, 640, 480, 100, 300, 100, 75);
            data.Add(engine, 1000, 10, 300, 300, 300, 3);
            data.Add(engine, 64, 48, 256, 256, 256, 192);
        }

        return data;
    }

    public static TheoryData<ThumbnailEngine, int, int, int, int> CoverCases()
    {
        var data = new TheoryData<ThumbnailEngine, int, int, int, int>();
        foreach (ThumbnailEngine engine in Enum.GetValues<ThumbnailEngine>())
        {
            data.Add(engine, 640, 480, 200, 200);
            data.Add(engine, 480, 640, 300, 100);
            data.Add(engine, 64, 48, 256, 256);
        }

        return data;
    }

    public static TheoryData<ThumbnailEngine, ThumbnailFormat> AlphaCases() => Engines.Times(ThumbnailFormat.Png, ThumbnailFormat.Webp);

    [Theory]
    [MemberData(nameof(FormatPairs))]
    public void Generate_EachFormatInAndOut_EncodesRequestedFormatWithSourceColors(ThumbnailEngine engine, ThumbnailFormat inputFormat, ThumbnailFormat outputFormat)
    {
        byte[] input = TestImages.Photo(inputFormat, 640, 480);

        ThumbnailResult result = ThumbnailGenerator.Generate(input, new ThumbnailOptions(160, 120, outputFormat), ImageLimits.Default, engine);

        Assert.Equal(160, result.Width);
        Assert.Equal(120, result.Height);
        Assert.Equal(outputFormat, result.Format);
        Assert.Equal(outputFormat.GetContentType(), result.ContentType);
        Assert.Equal((SourceImageFormat)(int)inputFormat, result.SourceFormat);
        Assert.Equal(640, result.SourceWidth);
        Assert.Equal(480, result.SourceHeight);
        Assert.Equal(1, result.SourceOrientation);
        Assert.Equal(ToSkia(outputFormat), ImageProbe.FormatOf(result.Data));

        using SKBitmap output = ImageProbe.Decode(result.Data);
        using SKBitmap source = TestImages.PhotoBitmap(640, 480);
        Assert.Equal(160, output.Width);
        Assert.Equal(120, output.Height);
        var expected = ImageProbe.MeanColor(source);
        var actual = ImageProbe.MeanColor(output);
        Assert.InRange(actual.Red, expected.Red - 6, expected.Red + 6);
        Assert.InRange(actual.Green, expected.Green - 6, expected.Green + 6);
        Assert.InRange(actual.Blue, expected.Blue - 6, expected.Blue + 6);
    }

    [Theory]
    [MemberData(nameof(ContainCases))]
    public void Generate_Contain_FitsInsideBoxKeepingAspectRatio(ThumbnailEngine engine, int sourceWidth, int sourceHeight, int boxWidth, int boxHeight, int expectedWidth, int expectedHeight)
    {
        byte[] input = TestImages.Photo(ThumbnailFormat.Png, sourceWidth, sourceHeight);

        ThumbnailResult result = ThumbnailGenerator.Generate(input, new ThumbnailOptions(boxWidth, boxHeight, ThumbnailFormat.Png, fit: ThumbnailFit.Contain), ImageLimits.Default, engine);

        Assert.Equal(expectedWidth, result.Width);
        Assert.Equal(expectedHeight, result.Height);
        using SKBitmap output = ImageProbe.Decode(result.Data);
        Assert.Equal(expectedWidth, output.Width);
        Assert.Equal(expectedHeight, output.Height);
    }

    [Theory]
    [MemberData(nameof(CoverCases))]
    public void Generate_Cover_FillsBoxExactly(ThumbnailEngine engine, int sourceWidth, int sourceHeight, int boxWidth, int boxHeight)
    {
        byte[] input = TestImages.Photo(ThumbnailFormat.Jpeg, sourceWidth, sourceHeight);

        ThumbnailResult result = ThumbnailGenerator.Generate(input, new ThumbnailOptions(boxWidth, boxHeight, ThumbnailFormat.Png), ImageLimits.Default, engine);

        Assert.Equal(boxWidth, result.Width);
        Assert.Equal(boxHeight, result.Height);
        using SKBitmap output = ImageProbe.Decode(result.Data);
        Assert.Equal(boxWidth, output.Width);
        Assert.Equal(boxHeight, output.Height);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_Cover_CropsCenterInsteadOfStretching(ThumbnailEngine engine)
    {
        // Three vertical stripes, blue | red | green; a square cover crop of a 3:1 image keeps only the red middle.
        byte[] input = Stripes(600, 200);

        ThumbnailResult result = ThumbnailGenerator.Generate(input, new ThumbnailOptions(100, 100, ThumbnailFormat.Png), ImageLimits.Default, engine);

        using SKBitmap output = ImageProbe.Decode(result.Data);
        foreach (int x in new[] { 5, 50, 94 })
        {
            ImageProbe.AssertNear(SKColors.Red, output.GetPixel(x, 50), 8, $"x={x}");
        }
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_Contain_KeepsWholeImage(ThumbnailEngine engine)
    {
        byte[] input = Stripes(600, 200);

        ThumbnailResult result = ThumbnailGenerator.Generate(input, new ThumbnailOptions(150, 150, ThumbnailFormat.Png, fit: ThumbnailFit.Contain), ImageLimits.Default, engine);

        Assert.Equal((150, 50), (result.Width, result.Height));
        using SKBitmap output = ImageProbe.Decode(result.Data);
        ImageProbe.AssertNear(SKColors.Blue, output.GetPixel(20, 25), 8, "left stripe");
        ImageProbe.AssertNear(SKColors.Red, output.GetPixel(75, 25), 8, "middle stripe");
        ImageProbe.AssertNear(SKColors.Lime, output.GetPixel(130, 25), 8, "right stripe");
    }

    [Theory]
    [MemberData(nameof(AlphaCases))]
    public void Generate_TransparentSourceToAlphaFormat_PreservesAlpha(ThumbnailEngine engine, ThumbnailFormat format)
    {
        byte[] input = TestImages.Translucent(ThumbnailFormat.Png, 400, 400);

        ThumbnailResult result = ThumbnailGenerator.Generate(input, new ThumbnailOptions(100, 100, format, quality: 90), ImageLimits.Default, engine);

        using SKBitmap output = ImageProbe.Decode(result.Data);
        Assert.Equal(0, output.GetPixel(2, 2).Alpha);
        ImageProbe.AssertNear(new SKColor(255, 0, 0, 255), output.GetPixel(50, 50), 12, "opaque red square");
        ImageProbe.AssertNear(new SKColor(0, 0, 255, 128), output.GetPixel(50, 20), 12, "half-transparent blue disc");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_TransparentSourceToJpeg_FlattensOntoWhite(ThumbnailEngine engine)
    {
        byte[] input = TestImages.Translucent(ThumbnailFormat.Webp, 400, 400);

        ThumbnailResult result = ThumbnailGenerator.Generate(input, new ThumbnailOptions(100, 100, ThumbnailFormat.Jpeg, quality: 95), ImageLimits.Default, engine);

        using SKBitmap output = ImageProbe.Decode(result.Data);
        ImageProbe.AssertNear(SKColors.White, output.GetPixel(2, 2), 6, "transparent corner");
        ImageProbe.AssertNear(new SKColor(127, 127, 255), output.GetPixel(50, 20), 12, "half-transparent blue over white");
        ImageProbe.AssertNear(new SKColor(255, 0, 0), output.GetPixel(50, 50), 16, "opaque red square");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_Gif_AcceptsFirstFrame(ThumbnailEngine engine)
    {
        ThumbnailResult result = ThumbnailGenerator.Generate(TestImages.Gif(), new ThumbnailOptions(8, 8, ThumbnailFormat.Png), ImageLimits.Default, engine);

        Assert.Equal(SourceImageFormat.Gif, result.SourceFormat);
        Assert.Equal((2, 2), (result.SourceWidth, result.SourceHeight));
        using SKBitmap output = ImageProbe.Decode(result.Data);
        ImageProbe.AssertNear(SKColors.Red, output.GetPixel(0, 0), 40, "top-left");
        ImageProbe.AssertNear(SKColors.Yellow, output.GetPixel(7, 7), 40, "bottom-right");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_Bmp_Decodes(ThumbnailEngine engine)
    {
        ThumbnailResult result = ThumbnailGenerator.Generate(TestImages.Bmp(320, 240), new ThumbnailOptions(64, 48), ImageLimits.Default, engine);

        Assert.Equal(SourceImageFormat.Bmp, result.SourceFormat);
        Assert.Equal((64, 48), (result.Width, result.Height));
    }

    [Fact]
    public void Generate_LargeJpegWithSkia_DecodesAtReducedScale()
    {
        byte[] input = TestImages.Photo(ThumbnailFormat.Jpeg, 2000, 1500);
        var pixels = new CountingPixelAllocator();

        ThumbnailResult result = ThumbnailGenerator.Generate(input, new ThumbnailOptions(100, 75), ImageLimits.Default, ThumbnailEngine.Skia, pixels, CancellationToken.None);

        // A full decode alone would need 2000 * 1500 * 4 = 12 MB; scaled to 1/8 it needs 0.19 MB (Skia's pixel buffers are counted).
        Assert.InRange(pixels.BytesAllocated, 1, 1_000_000);
        Assert.Equal((100, 75), (result.Width, result.Height));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_MemoryAndSpanOverloads_GiveSameBytes(ThumbnailEngine engine)
    {
        byte[] input = TestImages.Photo(ThumbnailFormat.Webp, 300, 200);
        var options = new ThumbnailOptions(90, 60, ThumbnailFormat.Png);

        ThumbnailResult fromMemory = ThumbnailGenerator.Generate(input.AsMemory(), options, ImageLimits.Default, engine);
        ThumbnailResult fromSpan = ThumbnailGenerator.Generate(input.AsSpan(), options, ImageLimits.Default, engine);

        Assert.Equal(fromSpan.Data.ToArray(), fromMemory.Data.ToArray());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_ConcurrentCalls_GiveSameBytesAsSequential(ThumbnailEngine engine)
    {
        byte[] input = TestImages.Photo(ThumbnailFormat.Jpeg, 800, 600);
        var options = new ThumbnailOptions(200, 200, ThumbnailFormat.Webp, quality: 70);
        byte[] expected = ThumbnailGenerator.Generate(input, options, ImageLimits.Default, engine).Data.ToArray();
        var results = new byte[16][];

        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            results[i] = ThumbnailGenerator.Generate(input, options, ImageLimits.Default, engine).Data.ToArray());

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    private static SKEncodedImageFormat ToSkia(ThumbnailFormat format) => format switch
    {
        ThumbnailFormat.Jpeg => SKEncodedImageFormat.Jpeg,
        ThumbnailFormat.Png => SKEncodedImageFormat.Png,
        _ => SKEncodedImageFormat.Webp,
    };

    private static byte[] Stripes(int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint())
        {
            float third = width / 3f;
            paint.Color = SKColors.Blue;
            canvas.DrawRect(0, 0, third, height, paint);
            paint.Color = SKColors.Red;
            canvas.DrawRect(third, 0, third, height, paint);
            paint.Color = SKColors.Lime;
            canvas.DrawRect(2 * third, 0, third, height, paint);
        }

        return TestImages.Encode(bitmap, ThumbnailFormat.Png);
    }
}
