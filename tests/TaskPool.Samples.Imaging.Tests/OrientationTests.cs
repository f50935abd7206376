using SkiaSharp;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.Imaging.Tests;

public class OrientationTests
{
    private static readonly SKColor s_red = TestImages.TopLeftColor;
    private static readonly SKColor s_green = TestImages.TopRightColor;
    private static readonly SKColor s_blue = TestImages.BottomLeftColor;
    private static readonly SKColor s_yellow = TestImages.BottomRightColor;

    /// <summary>
    /// For each EXIF orientation, which stored quadrant is seen at the displayed top-left, top-right, bottom-left
    /// and bottom-right, from the EXIF definitions: 2 mirrors left-right, 3 turns 180 degrees, 4 mirrors top-bottom,
    /// 5 transposes (mirror about the main diagonal), 6 turns 90 degrees clockwise, 7 transverses (mirror about the
    /// anti-diagonal), 8 turns 90 degrees counter-clockwise.
    /// </summary>
    public static TheoryData<ThumbnailEngine, int, string> Orientations()
    {
        var data = new TheoryData<ThumbnailEngine, int, string>();
        foreach (ThumbnailEngine engine in Enum.GetValues<ThumbnailEngine>())
        {
            data.Add(engine, 1, "TL TR BL BR");
            data.Add(engine, 2, "TR TL BR BL");
            data.Add(engine, 3, "BR BL TR TL");
            data.Add(engine, 4, "BL BR TL TR");
            data.Add(engine, 5, "TL BL TR BR");
            data.Add(engine, 6, "BL TL BR TR");
            data.Add(engine, 7, "BR TR BL TL");
            data.Add(engine, 8, "TR BR TL BL");
        }

        return data;
    }

    public static TheoryData<ThumbnailEngine, int, ThumbnailFit, int, int, int, int> FitCases()
    {
        var data = new TheoryData<ThumbnailEngine, int, ThumbnailFit, int, int, int, int>();
        foreach (ThumbnailEngine engine in Enum.GetValues<ThumbnailEngine>())
        {
            data.Add(engine, 1, ThumbnailFit.Cover, 300, 120, 300, 120);
            data.Add(engine, 6, ThumbnailFit.Cover, 300, 120, 300, 120);
            data.Add(engine, 1, ThumbnailFit.Contain, 300, 300, 300, 150);
            data.Add(engine, 6, ThumbnailFit.Contain, 300, 300, 150, 300);
            data.Add(engine, 6, ThumbnailFit.Contain, 100, 400, 100, 200);
        }

        return data;
    }

    [Fact]
    public void WithExifOrientation_Six_IsReadBySkiaAsRightTop()
    {
        byte[] jpeg = TestImages.WithExifOrientation(TestImages.Quadrants(ThumbnailFormat.Jpeg, 400, 200), 6);

        using SKData data = SKData.CreateCopy(jpeg);
        using SKCodec codec = SKCodec.Create(data)!;

        Assert.Equal(SKEncodedOrigin.RightTop, codec.EncodedOrigin);
        Assert.Equal((400, 200), (codec.Info.Width, codec.Info.Height));
    }

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Generate_EachExifOrientation_OutputIsUpright(ThumbnailEngine engine, int orientation, string expectedQuadrants)
    {
        // Stored 400x200; orientations 5..8 display it as 200x400.
        byte[] input = TestImages.WithExifOrientation(TestImages.Quadrants(ThumbnailFormat.Jpeg, 400, 200), orientation);

        ThumbnailResult result = ThumbnailGenerator.Generate(input, new ThumbnailOptions(200, 200, ThumbnailFormat.Png, fit: ThumbnailFit.Contain), ImageLimits.Default, engine);

        bool swapped = orientation >= 5;
        Assert.Equal(orientation, result.SourceOrientation);
        Assert.Equal(swapped ? (200, 400) : (400, 200), (result.SourceWidth, result.SourceHeight));
        Assert.Equal(swapped ? (100, 200) : (200, 100), (result.Width, result.Height));
        using SKBitmap output = ImageProbe.Decode(result.Data);
        Assert.Equal((result.Width, result.Height), (output.Width, output.Height));
        string[] expected = expectedQuadrants.Split(' ');
        int w = output.Width;
        int h = output.Height;
        ImageProbe.AssertNear(ColorOf(expected[0]), output.GetPixel(w / 4, h / 4), 40, "displayed top-left");
        ImageProbe.AssertNear(ColorOf(expected[1]), output.GetPixel(3 * w / 4, h / 4), 40, "displayed top-right");
        ImageProbe.AssertNear(ColorOf(expected[2]), output.GetPixel(w / 4, 3 * h / 4), 40, "displayed bottom-left");
        ImageProbe.AssertNear(ColorOf(expected[3]), output.GetPixel(3 * w / 4, 3 * h / 4), 40, "displayed bottom-right");
    }

    [Theory]
    [MemberData(nameof(FitCases))]
    public void Generate_Orientation_FitUsesOrientedDimensions(ThumbnailEngine engine, int orientation, ThumbnailFit fit, int boxWidth, int boxHeight, int expectedWidth, int expectedHeight)
    {
        byte[] input = TestImages.WithExifOrientation(TestImages.Photo(ThumbnailFormat.Jpeg, 1200, 600), orientation);

        ThumbnailResult result = ThumbnailGenerator.Generate(input, new ThumbnailOptions(boxWidth, boxHeight, fit: fit), ImageLimits.Default, engine);

        Assert.Equal((expectedWidth, expectedHeight), (result.Width, result.Height));
        using SKBitmap output = ImageProbe.Decode(result.Data);
        Assert.Equal((expectedWidth, expectedHeight), (output.Width, output.Height));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_OrientationSixWithCover_CropsAlongDisplayedLongAxis(ThumbnailEngine engine)
    {
        // Stored 400x200 quadrants turned 90 degrees clockwise display as 200x400: blue|red over yellow|green.
        // A 100x100 cover crop keeps the middle 200x200 of the display: the top half shows blue|red, the bottom yellow|green.
        byte[] input = TestImages.WithExifOrientation(TestImages.Quadrants(ThumbnailFormat.Jpeg, 400, 200), 6);

        ThumbnailResult result = ThumbnailGenerator.Generate(input, new ThumbnailOptions(100, 100, ThumbnailFormat.Png), ImageLimits.Default, engine);

        using SKBitmap output = ImageProbe.Decode(result.Data);
        ImageProbe.AssertNear(s_blue, output.GetPixel(25, 25), 40, "top-left");
        ImageProbe.AssertNear(s_red, output.GetPixel(75, 25), 40, "top-right");
        ImageProbe.AssertNear(s_yellow, output.GetPixel(25, 75), 40, "bottom-left");
        ImageProbe.AssertNear(s_green, output.GetPixel(75, 75), 40, "bottom-right");
    }

    private static SKColor ColorOf(string quadrant) => quadrant switch
    {
        "TL" => s_red,
        "TR" => s_green,
        "BL" => s_blue,
        _ => s_yellow,
    };
}
