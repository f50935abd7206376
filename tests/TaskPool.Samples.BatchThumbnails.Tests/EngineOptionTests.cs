using System.Text.Json;
using SkiaSharp;
using TaskPool.Samples.Imaging;

namespace TaskPool.Samples.BatchThumbnails.Tests;

/// <summary><c>--engine vips|skia</c>: the same thumbnails and the same refusals from either engine.</summary>
public sealed class EngineOptionTests
{
    [Theory]
    [InlineData("vips")]
    [InlineData("skia")]
    public async Task RunAsync_EachEngineOnMixedFolder_WritesTheGoodFilesAndRefusesTheBadOnesForTheSameReasons(string engine)
    {
        using var folder = new TempFolder();
        MixedFolder.Create(folder);
        string report = Path.Combine(folder.Root, "report.json");

        (int exitCode, string output) = await BatchRun.InProcessAsync(
            folder.Input, folder.Output, "--engine", engine, "--fit", "contain", "--workers", "2", "--json", report);

        Assert.True(exitCode == BatchExitCodes.SomeFailed, output);
        Assert.Contains($", {engine}, 2 workers)", output, StringComparison.Ordinal);
        Assert.Equal(MixedFolder.Good.Select(g => g.Output).Order(StringComparer.Ordinal), folder.OutputFiles());
        foreach ((string _, string name, int width, int height) in MixedFolder.Good)
        {
            Assert.Equal((SKEncodedImageFormat.Jpeg, width, height), OutputProbe.Read(Path.Combine(folder.Output, name)));
        }

        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(report));
        Assert.Equal(engine, json.RootElement.GetProperty("engine").GetString());
        var failures = json.RootElement.GetProperty("failures").EnumerateArray()
            .Select(f => (f.GetProperty("path").GetString(), f.GetProperty("reason").GetString()))
            .Order()
            .ToArray();
        Assert.Equal(MixedFolder.Bad.Select(b => ((string?)b.Input, (string?)b.Reason)).Order(), failures);
    }

    [Fact]
    public async Task RunAsync_NoEngine_UsesTheDefaultEngine()
    {
        using var folder = new TempFolder();
        folder.AddInput("photo.jpg", Imaging.Testing.TestImages.Photo(ThumbnailFormat.Jpeg, 320, 240));
        string report = Path.Combine(folder.Root, "report.json");

        (int exitCode, string output) = await BatchRun.InProcessAsync(folder.Input, folder.Output, "--workers", "1", "--json", report);

        Assert.True(exitCode == BatchExitCodes.Success, output);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(report));
        Assert.Equal(BatchCommand.EngineName(ThumbnailGenerator.DefaultEngine), json.RootElement.GetProperty("engine").GetString());
    }

    [Fact]
    public async Task RunAsync_UnknownEngine_IsAUsageError()
    {
        using var folder = new TempFolder();

        (int exitCode, string output) = await BatchRun.InProcessAsync(folder.Input, folder.Output, "--engine", "imagemagick");

        Assert.Equal(BatchExitCodes.UsageError, exitCode);
        Assert.Contains("--engine must be vips or skia; got 'imagemagick'.", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Output));
    }

    [Fact]
    public async Task RunAsync_Help_ListsTheEngines()
    {
        (int exitCode, string output) = await BatchRun.InProcessAsync("--help");

        Assert.Equal(BatchExitCodes.Success, exitCode);
        Assert.Contains("--engine <vips|skia>", output, StringComparison.Ordinal);
    }
}
