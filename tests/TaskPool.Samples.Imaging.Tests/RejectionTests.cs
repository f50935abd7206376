using SkiaSharp;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.Imaging.Tests;

public class RejectionTests
{
    private static readonly ThumbnailOptions s_options = new(64, 64);

    public static TheoryData<ThumbnailEngine, ThumbnailFormat> TruncatedCases() =>
        Engines.Times(ThumbnailFormat.Jpeg, ThumbnailFormat.Png, ThumbnailFormat.Webp);

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_EmptyInput_RejectsAsEmpty(ThumbnailEngine engine)
    {
        ImageRejectedException ex = Reject(engine, TestImages.Empty());

        Assert.Equal(ImageRejectionReason.Empty, ex.Reason);
        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_InputOverMaxInputBytes_RejectsAsTooLargeWithoutDecoding(ThumbnailEngine engine)
    {
        byte[] input = TestImages.Photo(ThumbnailFormat.Png, 200, 200);
        var pixels = new CountingPixelAllocator();

        ImageRejectedException ex = Reject(engine, input, new ImageLimits(maxInputBytes: 1000), pixels);

        Assert.Equal(ImageRejectionReason.TooLarge, ex.Reason);
        Assert.Contains("the largest accepted is 1,000 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, pixels.BytesAllocated);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_TooLargeMessage_SpeaksInMebibytes(ThumbnailEngine engine)
    {
        var input = new byte[(20 * 1024 * 1024) + 1];

        ImageRejectedException ex = Reject(engine, input);

        Assert.Equal(ImageRejectionReason.TooLarge, ex.Reason);
        Assert.StartsWith("The file is 20 MiB (20,971,521 bytes); the largest accepted is 20 MiB", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_TextFile_RejectsAsNotAnImage(ThumbnailEngine engine)
    {
        ImageRejectedException ex = Reject(engine, TestImages.Text());

        Assert.Equal(ImageRejectionReason.NotAnImage, ex.Reason);
        Assert.Contains("not an image", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_RandomBytes_RejectsAsNotAnImage(ThumbnailEngine engine)
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x42; // keep clear of any magic number

        Assert.Equal(ImageRejectionReason.NotAnImage, Reject(engine, bytes).Reason);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_Tiff_RejectsAsUnsupportedFormat(ThumbnailEngine engine)
    {
        ImageRejectedException ex = Reject(engine, TestImages.Tiff());

        Assert.Equal(ImageRejectionReason.UnsupportedFormat, ex.Reason);
        Assert.StartsWith("TIFF images are not supported", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_HeifHeader_RejectsAsUnsupportedFormat(ThumbnailEngine engine)
    {
        byte[] heif = [0, 0, 0, 0x18, .. "ftypheic"u8, 0, 0, 0, 0, .. "mif1heic"u8, .. new byte[64]];

        ImageRejectedException ex = Reject(engine, heif);

        Assert.Equal(ImageRejectionReason.UnsupportedFormat, ex.Reason);
        Assert.StartsWith("HEIF images are not supported", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TruncatedCases))]
    public void Generate_TruncatedImage_RejectsAsTruncated(ThumbnailEngine engine, ThumbnailFormat format)
    {
        byte[] input = TestImages.Truncated(TestImages.Photo(format, 400, 300));

        ImageRejectedException ex = Reject(engine, input);

        Assert.Equal(ImageRejectionReason.Truncated, ex.Reason);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_JpegCutInsideHeader_RejectsAsTruncated(ThumbnailEngine engine)
    {
        byte[] input = TestImages.Photo(ThumbnailFormat.Jpeg, 400, 300).AsSpan(0, 40).ToArray();

        ImageRejectedException ex = Reject(engine, input);

        Assert.Equal(ImageRejectionReason.Truncated, ex.Reason);
        Assert.Contains("JPEG", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_TruncatedJpeg_MessageSaysCutShort(ThumbnailEngine engine)
    {
        ImageRejectedException ex = Reject(engine, TestImages.Truncated(TestImages.Photo(ThumbnailFormat.Jpeg, 400, 300)));

        Assert.Equal("The JPEG image is incomplete: the file seems to be cut short.", ex.Message);
    }

    [Fact]
    public void DecompressionBomb_Header_IsAcceptedBySkia()
    {
        byte[] bomb = TestImages.DecompressionBomb();

        using SKData data = SKData.CreateCopy(bomb);
        using SKCodec? codec = SKCodec.Create(data);

        Assert.NotNull(codec);
        Assert.Equal((30_000, 30_000), (codec.Info.Width, codec.Info.Height));
        Assert.True(bomb.Length < 1024, $"The bomb is {bomb.Length} bytes.");
    }

    [Fact]
    public void DecompressionBomb_Header_IsOpenedByLibvipsWithoutDecoding()
    {
        // libvips reads the header only until pixels are asked for: the vips engine checks the pixel count at this point.
        using NetVips.Image header = NetVips.Image.NewFromBuffer(TestImages.DecompressionBomb(), access: NetVips.Enums.Access.Sequential);

        Assert.Equal((30_000, 30_000), (header.Width, header.Height));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_DecompressionBomb_RejectsBeforeAllocatingPixels(ThumbnailEngine engine)
    {
        byte[] bomb = TestImages.DecompressionBomb();
        Reject(engine, bomb); // warm up: JIT and type loading allocate too
        var pixels = new CountingPixelAllocator();
        long managedBefore = GC.GetAllocatedBytesForCurrentThread();

        ImageRejectedException ex = Reject(engine, bomb, pixels: pixels);

        long managed = GC.GetAllocatedBytesForCurrentThread() - managedBefore;
        Assert.Equal(ImageRejectionReason.TooManyPixels, ex.Reason);
        Assert.Equal("The image is 30000 x 30000 pixels (900 megapixels); the most accepted is 50 megapixels.", ex.Message);

        // A decode buffer would be 30000 * 30000 * 4 = 3.6 GB. The message quotes the header's size: had libvips decoded the
        // (mostly missing) pixel data first, the refusal would have been Truncated.
        Assert.True(managed < 10_000_000, $"{managed} managed bytes allocated.");
        Assert.Equal(0, pixels.BytesAllocated);
    }

    [Fact]
    public void Generate_NormalImageWithSkia_AllocatesDecodeBuffersThroughTheGivenAllocator()
    {
        // Proves that the pixel counter used above sees Skia's native pixel buffers.
        byte[] input = TestImages.Photo(ThumbnailFormat.Png, 300, 200);
        var pixels = new CountingPixelAllocator();

        ThumbnailGenerator.Generate(input, s_options, ImageLimits.Default, ThumbnailEngine.Skia, pixels, CancellationToken.None);

        Assert.True(pixels.BytesAllocated >= 300 * 200 * 4, $"{pixels.BytesAllocated} pixel bytes allocated.");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_ImageOverCustomPixelLimit_RejectsAsTooManyPixels(ThumbnailEngine engine)
    {
        byte[] input = TestImages.Photo(ThumbnailFormat.Jpeg, 400, 300);

        ImageRejectedException ex = Reject(engine, input, new ImageLimits(maxPixels: 100_000));

        Assert.Equal(ImageRejectionReason.TooManyPixels, ex.Reason);
    }

    private static ImageRejectedException Reject(ThumbnailEngine engine, byte[] input, ImageLimits? limits = null, IPixelAllocator? pixels = null) =>
        Assert.Throws<ImageRejectedException>(() =>
            ThumbnailGenerator.Generate(input, s_options, limits ?? ImageLimits.Default, engine, pixels ?? NativePixelAllocator.Shared, CancellationToken.None));
}
