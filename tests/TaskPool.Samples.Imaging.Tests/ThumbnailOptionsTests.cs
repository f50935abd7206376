namespace TaskPool.Samples.Imaging.Tests;

public class ThumbnailOptionsTests
{
    [Fact]
    public void Constructor_OnlyDimensions_UsesDefaults()
    {
        var options = new ThumbnailOptions(320, 240);

        Assert.Equal(320, options.Width);
        Assert.Equal(240, options.Height);
        Assert.Equal(ThumbnailFormat.Jpeg, options.Format);
        Assert.Equal(80, options.Quality);
        Assert.Equal(ThumbnailFit.Cover, options.Fit);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(100, 0)]
    [InlineData(-1, 100)]
    [InlineData(4097, 100)]
    [InlineData(100, 4097)]
    public void Constructor_DimensionOutOfRange_ThrowsBadDimensions(int width, int height)
    {
        var ex = Assert.Throws<ImageRejectedException>(() => new ThumbnailOptions(width, height));

        Assert.Equal(ImageRejectionReason.BadDimensions, ex.Reason);
        Assert.Contains("from 1 to 4096", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4096, 4096)]
    public void Constructor_DimensionAtBounds_IsAccepted(int width, int height)
    {
        var options = new ThumbnailOptions(width, height);

        Assert.Equal(width, options.Width);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Constructor_QualityOutOfRange_ThrowsBadOptions(int quality)
    {
        var ex = Assert.Throws<ImageRejectedException>(() => new ThumbnailOptions(10, 10, quality: quality));

        Assert.Equal(ImageRejectionReason.BadOptions, ex.Reason);
    }

    [Fact]
    public void Constructor_UndefinedEnumValue_ThrowsBadOptions()
    {
        var ex = Assert.Throws<ImageRejectedException>(() => new ThumbnailOptions(10, 10, (ThumbnailFormat)42));

        Assert.Equal(ImageRejectionReason.BadOptions, ex.Reason);
    }

    [Fact]
    public void Parse_AllValuesAnyCase_ReturnsOptions()
    {
        ThumbnailOptions options = ThumbnailOptions.Parse(" 640 ", "480", "WebP", "95", "CONTAIN");

        Assert.Equal(640, options.Width);
        Assert.Equal(480, options.Height);
        Assert.Equal(ThumbnailFormat.Webp, options.Format);
        Assert.Equal(95, options.Quality);
        Assert.Equal(ThumbnailFit.Contain, options.Fit);
    }

    [Fact]
    public void Parse_OptionalValuesMissing_UsesDefaults()
    {
        ThumbnailOptions options = ThumbnailOptions.Parse("100", "50", null, "", "  ");

        Assert.Equal(ThumbnailFormat.Jpeg, options.Format);
        Assert.Equal(ThumbnailOptions.DefaultQuality, options.Quality);
        Assert.Equal(ThumbnailFit.Cover, options.Fit);
    }

    [Theory]
    [InlineData("jpeg", ThumbnailFormat.Jpeg)]
    [InlineData("JPG", ThumbnailFormat.Jpeg)]
    [InlineData("Png", ThumbnailFormat.Png)]
    [InlineData("webp", ThumbnailFormat.Webp)]
    public void ParseFormat_KnownName_ReturnsFormat(string text, ThumbnailFormat expected)
    {
        Assert.Equal(expected, ThumbnailOptions.ParseFormat(text));
    }

    [Theory]
    [InlineData("gif")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData(null)]
    public void ParseFormat_UnknownName_ThrowsBadOptions(string? text)
    {
        var ex = Assert.Throws<ImageRejectedException>(() => ThumbnailOptions.ParseFormat(text));

        Assert.Equal(ImageRejectionReason.BadOptions, ex.Reason);
        Assert.Contains("jpeg, png or webp", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cover", ThumbnailFit.Cover)]
    [InlineData("Contain", ThumbnailFit.Contain)]
    public void ParseFit_KnownName_ReturnsFit(string text, ThumbnailFit expected)
    {
        Assert.Equal(expected, ThumbnailOptions.ParseFit(text));
    }

    [Fact]
    public void ParseFit_UnknownName_ThrowsBadOptions()
    {
        var ex = Assert.Throws<ImageRejectedException>(() => ThumbnailOptions.ParseFit("stretch"));

        Assert.Equal(ImageRejectionReason.BadOptions, ex.Reason);
        Assert.Contains("cover or contain", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "10", "Width is missing")]
    [InlineData("10", "", "Height is missing")]
    [InlineData("abc", "10", "Width must be a whole number from 1 to 4096; got 'abc'")]
    [InlineData("-5", "10", "Width must be")]
    [InlineData("12.5", "10", "Width must be")]
    [InlineData("10", "5000", "Height must be a whole number from 1 to 4096; got '5000'")]
    [InlineData("99999999999", "10", "Width must be")]
    public void Parse_BadDimension_ThrowsBadDimensionsWithClearMessage(string? width, string? height, string expectedMessageStart)
    {
        var ex = Assert.Throws<ImageRejectedException>(() => ThumbnailOptions.Parse(width, height));

        Assert.Equal(ImageRejectionReason.BadDimensions, ex.Reason);
        Assert.StartsWith(expectedMessageStart, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gif", null, null, "Format must be jpeg, png or webp; got 'gif'.")]
    [InlineData(null, "0", null, "Quality must be a whole number from 1 to 100; got '0'.")]
    [InlineData(null, "high", null, "Quality must be a whole number from 1 to 100; got 'high'.")]
    [InlineData(null, null, "fill", "Fit must be cover or contain; got 'fill'.")]
    public void Parse_BadOption_ThrowsBadOptionsWithClearMessage(string? format, string? quality, string? fit, string expectedMessage)
    {
        var ex = Assert.Throws<ImageRejectedException>(() => ThumbnailOptions.Parse("10", "10", format, quality, fit));

        Assert.Equal(ImageRejectionReason.BadOptions, ex.Reason);
        Assert.Equal(expectedMessage, ex.Message);
    }

    [Fact]
    public void TryParse_BadInput_ReturnsFalseWithError()
    {
        bool parsed = ThumbnailOptions.TryParse("0", "10", null, null, null, out ThumbnailOptions? options, out string? error);

        Assert.False(parsed);
        Assert.Null(options);
        Assert.Equal("Width must be a whole number from 1 to 4096; got '0'.", error);
    }

    [Fact]
    public void TryParse_GoodInput_ReturnsTrueWithOptions()
    {
        bool parsed = ThumbnailOptions.TryParse("10", "20", "png", null, "contain", out ThumbnailOptions? options, out string? error);

        Assert.True(parsed);
        Assert.Null(error);
        Assert.Equal(ThumbnailFormat.Png, options!.Format);
        Assert.Equal(ThumbnailFit.Contain, options.Fit);
    }

    [Theory]
    [InlineData(ThumbnailFormat.Jpeg, "image/jpeg", ".jpg")]
    [InlineData(ThumbnailFormat.Png, "image/png", ".png")]
    [InlineData(ThumbnailFormat.Webp, "image/webp", ".webp")]
    public void FormatNames_EachFormat_GiveContentTypeAndExtension(ThumbnailFormat format, string contentType, string extension)
    {
        Assert.Equal(contentType, format.GetContentType());
        Assert.Equal(extension, format.GetFileExtension());
    }

    [Fact]
    public void ImageLimits_Default_Is50MegapixelsAnd20MiB()
    {
        Assert.Equal(50_000_000, ImageLimits.Default.MaxPixels);
        Assert.Equal(20 * 1024 * 1024, ImageLimits.Default.MaxInputBytes);
    }

    [Fact]
    public void ImageLimits_ZeroLimit_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageLimits(maxPixels: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageLimits(maxInputBytes: 0));
    }
}
