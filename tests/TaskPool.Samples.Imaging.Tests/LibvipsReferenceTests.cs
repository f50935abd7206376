using SkiaSharp;
using TaskPool.Samples.Imaging.Testing;
using Xunit.Abstractions;
using VipsImage = NetVips.Image;

namespace TaskPool.Samples.Imaging.Tests;

/// <summary>
/// Both engines against a reference: libvips' Lanczos-3 resize of the full-resolution decode (no shrink-on-load, no shortcut),
/// on a photo with fine diagonal lines, whose thumbnails differ wherever a pipeline blurs, aliases or shifts the image.
/// </summary>
public class LibvipsReferenceTests(ITestOutputHelper output)
{
    private const int PhotoWidth = 2000;
    private const int PhotoHeight = 1500;

    private static readonly Lazy<byte[]> s_photo = new(() => TestImages.Photo(ThumbnailFormat.Jpeg, PhotoWidth, PhotoHeight));

    public static TheoryData<ThumbnailEngine, ThumbnailFit, double> Bounds() => new()
    {
        // Contain maps the whole image onto the whole thumbnail in both engines, so both must match the reference closely.
        { ThumbnailEngine.Skia, ThumbnailFit.Contain, 1.5 },
        { ThumbnailEngine.Vips, ThumbnailFit.Contain, 1.5 },

        // Cover: Skia resamples the exact center crop. libvips' thumbnail resizes first and crops whole pixels after
        // (2000x1500 -> 427x320 -> 53 px off the left), which shifts the picture by a third of a pixel: on 5 px line spacing
        // that alone is a difference of about 12 levels, with no blur or aliasing in it (see Contain).
        { ThumbnailEngine.Skia, ThumbnailFit.Cover, 1.5 },
        { ThumbnailEngine.Vips, ThumbnailFit.Cover, 16 },
    };

    [Theory]
    [MemberData(nameof(Bounds))]
    public void Generate_Photo_StaysCloseToFullResolutionLanczosReference(ThumbnailEngine engine, ThumbnailFit fit, double bound)
    {
        var options = new ThumbnailOptions(320, 320, ThumbnailFormat.Png, fit: fit);

        ThumbnailResult result = ThumbnailGenerator.Generate(s_photo.Value, options, ImageLimits.Default, engine);

        using SKBitmap ours = ImageProbe.Decode(result.Data);
        using SKBitmap reference = Reference(fit, result.Width, result.Height);
        double difference = ImageProbe.MeanAbsoluteDifference(ours, reference);
        output.WriteLine($"{engine}, {fit}: mean absolute difference {difference:F2} (bound {bound})");
        Assert.True(difference < bound, $"{engine}, {fit}: mean absolute difference {difference:F2} from the reference.");
    }

    [Fact]
    public void Reference_DiffersFromAShiftedCopy()
    {
        // Proves that the measure sees a sub-pixel shift: the same reference, resampled half a pixel to the side, is far from it.
        using SKBitmap reference = Reference(ThumbnailFit.Contain, 320, 240);
        using VipsImage full = VipsImage.NewFromBuffer(s_photo.Value);
        using VipsImage resized = full.Resize(320.0 / PhotoWidth, vscale: 240.0 / PhotoHeight, kernel: NetVips.Enums.Kernel.Lanczos3);
        using VipsImage shifted = resized.Affine([1, 0, 0, 1], odx: 0.5, interpolate: NetVips.Interpolate.NewFromName("bicubic"));
        using VipsImage cropped = shifted.Crop(0, 0, 320, 240);
        using SKBitmap moved = ImageProbe.Decode(cropped.PngsaveBuffer());

        Assert.True(ImageProbe.MeanAbsoluteDifference(moved, reference) > 5);
    }

    /// <summary>libvips' Lanczos-3 resize of the fully decoded photo (or its exact center square, for cover).</summary>
    private static SKBitmap Reference(ThumbnailFit fit, int width, int height)
    {
        using VipsImage full = VipsImage.NewFromBuffer(s_photo.Value);
        using VipsImage region = fit == ThumbnailFit.Cover
            ? full.Crop((PhotoWidth - PhotoHeight) / 2, 0, PhotoHeight, PhotoHeight)
            : full.Copy();
        using VipsImage resized = region.Resize((double)width / region.Width, vscale: (double)height / region.Height, kernel: NetVips.Enums.Kernel.Lanczos3);
        return ImageProbe.Decode(resized.PngsaveBuffer());
    }
}
