using SkiaSharp;
using TaskPool.Samples.Imaging.Testing;
using Xunit.Abstractions;

namespace TaskPool.Samples.Imaging.Tests;

/// <summary>
/// The zone plate (2400x2400, ring frequency rising to 0.5 cycles/pixel at radius 1200) thumbnailed to 320x320
/// is scaled by 320/2400: its rings pass the output Nyquist limit at output radius 21. Beyond that a correct
/// thumbnail is flat mid-gray; an aliasing one shows moiré (ghost ring patterns) of nearly full contrast.
/// </summary>
public class AntiAliasingTests(ITestOutputHelper output)
{
    private const int SourceSize = 2400;
    private const int ThumbnailSize = 320;

    // Output radii 60..150 carry source frequencies of 2.8 to 7 times the output Nyquist limit.
    private const double StopBandInner = 60;
    private const double StopBandOuter = 150;

    // Output radii 8..16 carry frequencies of 0.19 to 0.375 cycles/pixel, below the Nyquist limit: they should stay.
    private const double PassBandInner = 8;
    private const double PassBandOuter = 16;

    private static readonly Lazy<byte[]> s_zonePlatePng = new(() => TestImages.ZonePlate(SourceSize));

    public static TheoryData<ThumbnailEngine, ThumbnailFormat> InputFormats() =>
        Engines.Times(ThumbnailFormat.Png, ThumbnailFormat.Jpeg, ThumbnailFormat.Webp);

    [Theory]
    [MemberData(nameof(InputFormats))]
    public void Generate_ZonePlateDownscale_IsFreeOfMoireWhereNaiveDrawAliases(ThumbnailEngine engine, ThumbnailFormat inputFormat)
    {
        byte[] input = ZonePlateAs(inputFormat);
        using SKBitmap naive = NaiveCubicDraw();

        ThumbnailResult result = ThumbnailGenerator.Generate(input, new ThumbnailOptions(ThumbnailSize, ThumbnailSize, ThumbnailFormat.Png), ImageLimits.Default, engine);

        using SKBitmap ours = ImageProbe.Decode(result.Data);
        var naiveStop = ImageProbe.RingStatistics(naive, StopBandInner, StopBandOuter);
        var oursStop = ImageProbe.RingStatistics(ours, StopBandInner, StopBandOuter);
        var oursPass = ImageProbe.RingStatistics(ours, PassBandInner, PassBandOuter);

        output.WriteLine(
            $"{engine} {inputFormat}: naive stop-band std {naiveStop.StandardDeviation:F2}; pipeline stop-band std {oursStop.StandardDeviation:F2} " +
            $"(mean {oursStop.Mean:F1}), pass-band std {oursPass.StandardDeviation:F2}");

        // The test can fail: a direct cubic draw, Skia's best single-step downscale, is heavily aliased here.
        Assert.True(naiveStop.StandardDeviation > 20, $"naive draw: stop-band std {naiveStop.StandardDeviation:F1}");

        // Ours is flat gray there (std of a few levels out of 255) ...
        Assert.True(oursStop.StandardDeviation < 6, $"pipeline: stop-band std {oursStop.StandardDeviation:F1} (naive {naiveStop.StandardDeviation:F1})");
        Assert.InRange(oursStop.Mean, 120, 135);

        // ... without blurring away the rings it can show (full-contrast rings have std 90).
        Assert.True(oursPass.StandardDeviation > 60, $"pipeline: pass-band std {oursPass.StandardDeviation:F1}");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_ZonePlateJpegAtPhotoRatio_IsFreeOfMoire(ThumbnailEngine engine)
    {
        // 3000 px to 320 is the ratio of a 12 MP photo to a 320 px cover (9.4): JPEG shrink-on-load decodes at 1/4 here, and
        // decoding at 1/8 instead (an 8x8 block average) would let more through; the pass band must keep its contrast too.
        const int size = 3000;
        using SKBitmap zonePlate = TestImages.ZonePlateBitmap(size);
        byte[] input = TestImages.Encode(zonePlate, ThumbnailFormat.Jpeg, quality: 95);

        ThumbnailResult result = ThumbnailGenerator.Generate(input, new ThumbnailOptions(ThumbnailSize, ThumbnailSize, ThumbnailFormat.Png), ImageLimits.Default, engine);

        using SKBitmap ours = ImageProbe.Decode(result.Data);
        var stop = ImageProbe.RingStatistics(ours, StopBandInner, StopBandOuter);
        var pass = ImageProbe.RingStatistics(ours, PassBandInner, PassBandOuter);
        output.WriteLine($"{engine}, {size} px JPEG: stop-band std {stop.StandardDeviation:F2} (mean {stop.Mean:F1}), pass-band std {pass.StandardDeviation:F2}");
        Assert.True(stop.StandardDeviation < 6, $"stop-band std {stop.StandardDeviation:F1}");
        Assert.InRange(stop.Mean, 120, 135);

        // Output radii 8..16 carry 0.025 to 0.05 cycles per source pixel here, well below the output Nyquist limit.
        Assert.True(pass.StandardDeviation > 75, $"pass-band std {pass.StandardDeviation:F1}");
    }

    private static byte[] ZonePlateAs(ThumbnailFormat format)
    {
        if (format == ThumbnailFormat.Png)
        {
            return s_zonePlatePng.Value;
        }

        using SKBitmap zonePlate = TestImages.ZonePlateBitmap(SourceSize);
        return TestImages.Encode(zonePlate, format, quality: 95);
    }

    /// <summary>Skia's high-quality (Mitchell cubic) draw straight from 2400 to 320 pixels, with no prefiltering.</summary>
    private static SKBitmap NaiveCubicDraw()
    {
        using SKBitmap zonePlate = TestImages.ZonePlateBitmap(SourceSize);
        using SKImage image = SKImage.FromBitmap(zonePlate);
        var naive = new SKBitmap(new SKImageInfo(ThumbnailSize, ThumbnailSize, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(naive);
        canvas.DrawImage(image, new SKRect(0, 0, SourceSize, SourceSize), new SKRect(0, 0, ThumbnailSize, ThumbnailSize), new SKSamplingOptions(SKCubicResampler.Mitchell), null);
        return naive;
    }
}
