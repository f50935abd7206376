using SkiaSharp;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.Imaging.Tests;

public class RejectionTests
{
    private static readonly ThumbnailOptions s_options = new(64, 64);

    [Fact]
    public void Generate_EmptyInput_RejectsAsEmpty()
    {
        ImageRejectedException ex = Reject(TestImages.Empty());

        Assert.Equal(ImageRejectionReason.Empty, ex.Reason);
        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_InputOverMaxInputBytes_RejectsAsTooLargeWithoutDecoding()
    {
        byte[] input = TestImages.Photo(ThumbnailFormat.Png, 200, 200);
        long pixelsBefore = PixelMemory.BytesAllocatedOnCurrentThread;

        ImageRejectedException ex = Reject(input, new ImageLimits(maxInputBytes: 1000));

        Assert.Equal(ImageRejectionReason.TooLarge, ex.Reason);
        Assert.Contains("the largest accepted is 1,000 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal(pixelsBefore, PixelMemory.BytesAllocatedOnCurrentThread);
    }

    [Fact]
    public void Generate_TooLargeMessage_SpeaksInMebibytes()
    {
        var input = new byte[(20 * 1024 * 1024) + 1];

        ImageRejectedException ex = Reject(input);

        Assert.Equal(ImageRejectionReason.TooLarge, ex.Reason);
        Assert.StartsWith("The file is 20 MiB (20,971,521 bytes); the largest accepted is 20 MiB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_TextFile_RejectsAsNotAnImage()
    {
        ImageRejectedException ex = Reject(TestImages.Text());

        Assert.Equal(ImageRejectionReason.NotAnImage, ex.Reason);
        Assert.Contains("not an image", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_RandomBytes_RejectsAsNotAnImage()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x42; // keep clear of any magic number

        Assert.Equal(ImageRejectionReason.NotAnImage, Reject(bytes).Reason);
    }

    [Fact]
    public void Generate_Tiff_RejectsAsUnsupportedFormat()
    {
        ImageRejectedException ex = Reject(TestImages.Tiff());

        Assert.Equal(ImageRejectionReason.UnsupportedFormat, ex.Reason);
        Assert.StartsWith("TIFF images are not supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_HeifHeader_RejectsAsUnsupportedFormat()
    {
        byte[] heif = [0, 0, 0, 0x18, .. "ftypheic"u8, 0, 0, 0, 0, .. "mif1heic"u8, .. new byte[64]];

        ImageRejectedException ex = Reject(heif);

        Assert.Equal(ImageRejectionReason.UnsupportedFormat, ex.Reason);
        Assert.StartsWith("HEIF images are not supported", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ThumbnailFormat.Jpeg)]
    [InlineData(ThumbnailFormat.Png)]
    [InlineData(ThumbnailFormat.Webp)]
    public void Generate_TruncatedImage_RejectsAsTruncated(ThumbnailFormat format)
    {
        byte[] input = TestImages.Truncated(TestImages.Photo(format, 400, 300));

        ImageRejectedException ex = Reject(input);

        Assert.Equal(ImageRejectionReason.Truncated, ex.Reason);
    }

    [Fact]
    public void Generate_JpegCutInsideHeader_RejectsAsTruncated()
    {
        byte[] input = TestImages.Photo(ThumbnailFormat.Jpeg, 400, 300).AsSpan(0, 40).ToArray();

        ImageRejectedException ex = Reject(input);

        Assert.Equal(ImageRejectionReason.Truncated, ex.Reason);
        Assert.Contains("JPEG", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_TruncatedJpeg_MessageSaysCutShort()
    {
        ImageRejectedException ex = Reject(TestImages.Truncated(TestImages.Photo(ThumbnailFormat.Jpeg, 400, 300)));

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
    public void Generate_DecompressionBomb_RejectsBeforeAllocatingPixels()
    {
        byte[] bomb = TestImages.DecompressionBomb();
        Reject(bomb); // warm up: JIT and type loading allocate too
        long managedBefore = GC.GetAllocatedBytesForCurrentThread();
        long pixelsBefore = PixelMemory.BytesAllocatedOnCurrentThread;

        ImageRejectedException ex = Reject(bomb);

        long managed = GC.GetAllocatedBytesForCurrentThread() - managedBefore;
        long pixels = PixelMemory.BytesAllocatedOnCurrentThread - pixelsBefore;
        Assert.Equal(ImageRejectionReason.TooManyPixels, ex.Reason);
        Assert.Equal("The image is 30000 x 30000 pixels (900 megapixels); the most accepted is 50 megapixels.", ex.Message);

        // A decode buffer would be 30000 * 30000 * 4 = 3.6 GB.
        Assert.True(managed < 10_000_000, $"{managed} managed bytes allocated.");
        Assert.Equal(0, pixels);
    }

    [Fact]
    public void PixelMemory_NormalImage_CountsDecodeBuffers()
    {
        // Proves that the pixel counter used above sees Skia's native pixel buffers.
        byte[] input = TestImages.Photo(ThumbnailFormat.Png, 300, 200);
        long before = PixelMemory.BytesAllocatedOnCurrentThread;

        ThumbnailGenerator.Generate(input, s_options, ImageLimits.Default);

        Assert.True(PixelMemory.BytesAllocatedOnCurrentThread - before >= 300 * 200 * 4);
    }

    [Fact]
    public void Generate_ImageOverCustomPixelLimit_RejectsAsTooManyPixels()
    {
        byte[] input = TestImages.Photo(ThumbnailFormat.Jpeg, 400, 300);

        ImageRejectedException ex = Reject(input, new ImageLimits(maxPixels: 100_000));

        Assert.Equal(ImageRejectionReason.TooManyPixels, ex.Reason);
    }

    private static ImageRejectedException Reject(byte[] input, ImageLimits? limits = null) =>
        Assert.Throws<ImageRejectedException>(() => ThumbnailGenerator.Generate(input, s_options, limits ?? ImageLimits.Default));
}
