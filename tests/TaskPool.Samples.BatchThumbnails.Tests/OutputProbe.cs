using SkiaSharp;

namespace TaskPool.Samples.BatchThumbnails.Tests;

/// <summary>Reads back an output file: its format and size as the bytes say, and whether it decodes completely.</summary>
internal static class OutputProbe
{
    public static (SKEncodedImageFormat Format, int Width, int Height) Read(string path)
    {
        using SKData data = SKData.Create(path) ?? throw new InvalidOperationException($"Cannot read {path}.");
        using SKCodec codec = SKCodec.Create(data) ?? throw new InvalidOperationException($"{path} is not an image.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        SKCodecResult result = codec.GetPixels(info, bitmap.GetPixels());
        Assert.True(result == SKCodecResult.Success, $"{path} does not decode completely: {result}.");
        return (codec.EncodedFormat, codec.Info.Width, codec.Info.Height);
    }
}
