using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.Imaging.Tests;

public sealed class ThumbnailJobTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void DecodeInput_EncodedInput_ReturnsTheSameOptionsLimitsEngineAndImage(ThumbnailEngine engine)
    {
        byte[] image = [1, 2, 3, 4, 5];
        var options = new ThumbnailOptions(123, 45, ThumbnailFormat.Webp, 67, ThumbnailFit.Contain);
        var limits = new ImageLimits(1_000_000, 2_000_000);

        (ThumbnailOptions decoded, ImageLimits decodedLimits, ThumbnailEngine decodedEngine, ReadOnlyMemory<byte> decodedImage) =
            ThumbnailJob.DecodeInput(ThumbnailJob.EncodeInput(image, options, limits, engine));

        Assert.Equal(engine, decodedEngine);
        Assert.Equal(options.ToString(), decoded.ToString());
        Assert.Equal((1_000_000L, 2_000_000L), (decodedLimits.MaxPixels, decodedLimits.MaxInputBytes));
        Assert.Equal(image, decodedImage.ToArray());
    }

    [Fact]
    public void EncodeInput_WithoutEngine_NamesTheDefaultEngine()
    {
        byte[] input = ThumbnailJob.EncodeInput([1, 2, 3], new ThumbnailOptions(20, 10), ImageLimits.Default);

        Assert.Equal(ThumbnailGenerator.DefaultEngine, ThumbnailJob.DecodeInput(input).Engine);
    }

    [Fact]
    public void DecodeInput_UnknownEngine_Throws()
    {
        byte[] input = ThumbnailJob.EncodeInput([1, 2, 3], new ThumbnailOptions(20, 10), ImageLimits.Default, ThumbnailEngine.Skia);
        input[12] = 200;

        Assert.Throws<ArgumentException>(() => ThumbnailJob.DecodeInput(input));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Run_ValidImage_ReturnsTheEncodedThumbnail(ThumbnailEngine engine)
    {
        byte[] input = ThumbnailJob.EncodeInput(TestImages.Photo(ThumbnailFormat.Jpeg, 200, 100), new ThumbnailOptions(20, 10, ThumbnailFormat.Png), ImageLimits.Default, engine);

        byte[] output = ThumbnailJob.Run(input, CancellationToken.None);

        Assert.Equal(SkiaSharp.SKEncodedImageFormat.Png, ImageProbe.FormatOf(output));
        using SkiaSharp.SKBitmap thumbnail = ImageProbe.Decode(output);
        Assert.Equal((20, 10), (thumbnail.Width, thumbnail.Height));
    }

    [Fact]
    public void TryGetRejection_WhatTheChildThrew_ReturnsTheSameReasonAndMessage()
    {
        byte[] input = ThumbnailJob.EncodeInput(TestImages.Text(), new ThumbnailOptions(20, 10), ImageLimits.Default);
        ImageRejectedException thrown = Assert.Throws<ImageRejectedException>(() => ThumbnailJob.Run(input, CancellationToken.None));

        bool rejected = ThumbnailJob.TryGetRejection(typeof(ImageRejectedException).FullName!, thrown.Message, out ImageRejectedException? rejection);

        Assert.True(rejected);
        Assert.Equal(ImageRejectionReason.NotAnImage, rejection!.Reason);
        Assert.Equal(thrown.InnerException!.Message, rejection.Message);
    }

    [Theory]
    [InlineData("System.InvalidOperationException", "[NotAnImage] x")]
    [InlineData("TaskPool.Samples.Imaging.ImageRejectedException", "no reason")]
    [InlineData("TaskPool.Samples.Imaging.ImageRejectedException", "[NoSuchReason] x")]
    [InlineData("TaskPool.Samples.Imaging.ImageRejectedException", "[42] x")]
    public void TryGetRejection_OtherFailure_ReturnsFalse(string remoteType, string remoteMessage)
    {
        Assert.False(ThumbnailJob.TryGetRejection(remoteType, remoteMessage, out ImageRejectedException? rejection));
        Assert.Null(rejection);
    }
}
