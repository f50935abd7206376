using System.Text.Json;
using SkiaSharp;
using TaskPool.Samples.Imaging;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.BatchThumbnails.Tests;

public sealed class EndToEndTests
{
    [Fact]
    public async Task RunAsync_MixedFolder_WritesThumbnailsAndReportsExactlyTheBadFiles()
    {
        using var folder = new TempFolder();
        MixedFolder.Create(folder);
        string report = Path.Combine(folder.Root, "report.json");

        (int exitCode, string output) = await BatchRun.InProcessAsync(folder.Input, folder.Output, "--fit", "contain", "--workers", "2", "--json", report);

        Assert.Equal(BatchExitCodes.SomeFailed, exitCode);
        Assert.Equal(MixedFolder.Good.Select(g => g.Output).Order(StringComparer.Ordinal), folder.OutputFiles());
        foreach ((string _, string name, int width, int height) in MixedFolder.Good)
        {
            (SKEncodedImageFormat format, int actualWidth, int actualHeight) = OutputProbe.Read(Path.Combine(folder.Output, name));
            Assert.Equal(SKEncodedImageFormat.Jpeg, format);
            Assert.Equal((width, height), (actualWidth, actualHeight));
        }

        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(report));
        JsonElement root = json.RootElement;
        Assert.Equal(MixedFolder.Good.Length + MixedFolder.Bad.Length, root.GetProperty("files").GetInt32());
        Assert.Equal(MixedFolder.Good.Length, root.GetProperty("succeeded").GetInt32());
        Assert.Equal(MixedFolder.Bad.Length, root.GetProperty("failed").GetInt32());
        var failures = root.GetProperty("failures").EnumerateArray()
            .Select(f => (f.GetProperty("path").GetString(), f.GetProperty("reason").GetString()))
            .Order()
            .ToArray();
        Assert.Equal(MixedFolder.Bad.Select(b => ((string?)b.Input, (string?)b.Reason)).Order(), failures);
        foreach ((string input, string reason) in MixedFolder.Bad)
        {
            Assert.Contains($"{input}: {reason}:", output, StringComparison.Ordinal);
        }

        Assert.Contains("succeeded:   4", output, StringComparison.Ordinal);
        Assert.Contains("peak queue depth", output, StringComparison.Ordinal);
        Assert.Contains("images/s", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RecursiveWebpCover_MirrorsTheInputTree()
    {
        using var folder = new TempFolder();
        byte[] photo = TestImages.Photo(ThumbnailFormat.Jpeg, 640, 480);
        folder.AddInput("top.jpg", photo);
        folder.AddInput("a/one.png", TestImages.Photo(ThumbnailFormat.Png, 300, 500));
        folder.AddInput("a/b/two.jpg", photo);

        (int exitCode, string output) = await BatchRun.InProcessAsync(folder.Input, folder.Output, "--recursive", "--format", "webp", "--width", "200", "--height", "100");

        Assert.True(exitCode == BatchExitCodes.Success, output);
        Assert.Equal(["a/b/two.webp", "a/one.webp", "top.webp"], folder.OutputFiles());
        foreach (string name in folder.OutputFiles())
        {
            Assert.Equal((SKEncodedImageFormat.Webp, 200, 100), OutputProbe.Read(Path.Combine(folder.Output, name)));
        }
    }

    [Fact]
    public async Task RunAsync_NotRecursive_IgnoresSubfolders()
    {
        using var folder = new TempFolder();
        byte[] photo = TestImages.Photo(ThumbnailFormat.Jpeg, 400, 300);
        folder.AddInput("top.jpg", photo);
        folder.AddInput("sub/inner.jpg", photo);

        (int exitCode, string output) = await BatchRun.InProcessAsync(folder.Input, folder.Output, "--format", "png");

        Assert.True(exitCode == BatchExitCodes.Success, output);
        Assert.Equal(["top.png"], folder.OutputFiles());
        Assert.Equal((SKEncodedImageFormat.Png, 320, 320), OutputProbe.Read(Path.Combine(folder.Output, "top.png")));
    }

    [Fact]
    public async Task RunAsync_ExistingOutput_IsSkippedUnlessOverwrite()
    {
        using var folder = new TempFolder();
        folder.AddInput("photo.jpg", TestImages.Photo(ThumbnailFormat.Jpeg, 640, 480));
        Directory.CreateDirectory(folder.Output);
        string existing = Path.Combine(folder.Output, "photo.jpg");
        File.WriteAllText(existing, "an older output");

        (int skipCode, string skipOutput) = await BatchRun.InProcessAsync(folder.Input, folder.Output);
        string afterSkip = File.ReadAllText(existing);
        (int overwriteCode, string overwriteOutput) = await BatchRun.InProcessAsync(folder.Input, folder.Output, "--overwrite");

        Assert.True(skipCode == BatchExitCodes.Success, skipOutput);
        Assert.Contains("skipped:     1", skipOutput, StringComparison.Ordinal);
        Assert.Equal("an older output", afterSkip);
        Assert.True(overwriteCode == BatchExitCodes.Success, overwriteOutput);
        Assert.Equal((SKEncodedImageFormat.Jpeg, 320, 320), OutputProbe.Read(existing));
        Assert.Equal(["photo.jpg"], folder.OutputFiles());
    }

    [Fact]
    public async Task RunAsync_TwoInputsForOneOutputName_ReportsTheConflict()
    {
        using var folder = new TempFolder();
        folder.AddInput("same.jpg", TestImages.Photo(ThumbnailFormat.Jpeg, 400, 300));
        folder.AddInput("same.png", TestImages.Photo(ThumbnailFormat.Png, 400, 300));

        (int exitCode, string output) = await BatchRun.InProcessAsync(folder.Input, folder.Output);

        Assert.Equal(BatchExitCodes.SomeFailed, exitCode);
        Assert.Contains(": OutputConflict:", output, StringComparison.Ordinal);
        Assert.Equal(["same.jpg"], folder.OutputFiles());
    }
}
