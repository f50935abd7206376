using System.Text;
using System.Text.Json;
using SkiaSharp;
using TaskPool.Samples.BatchThumbnails.TestWorker;
using TaskPool.Samples.Imaging;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.BatchThumbnails.Tests;

/// <summary><c>--isolation process</c>, run in-process: the children are the tool's own program through the dotnet host.</summary>
public sealed class ProcessIsolationTests
{
    [Fact]
    public async Task RunAsync_ProcessIsolationOnMixedFolder_WritesTheGoodFilesAndReportsTheBadOnesWithTheirReasons()
    {
        using var folder = new TempFolder();
        MixedFolder.Create(folder);
        string report = Path.Combine(folder.Root, "report.json");

        (int exitCode, string output) = await BatchRun.InProcessAsync(
            folder.Input, folder.Output, "--fit", "contain", "--workers", "2", "--isolation", "process", "--json", report);

        Assert.True(exitCode == BatchExitCodes.SomeFailed, output);
        Assert.Equal(MixedFolder.Good.Select(g => g.Output).Order(StringComparer.Ordinal), folder.OutputFiles());
        foreach ((string _, string name, int width, int height) in MixedFolder.Good)
        {
            Assert.Equal((SKEncodedImageFormat.Jpeg, width, height), OutputProbe.Read(Path.Combine(folder.Output, name)));
        }

        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(report));
        Assert.Equal("process", json.RootElement.GetProperty("isolation").GetString());
        var failures = json.RootElement.GetProperty("failures").EnumerateArray()
            .Select(f => (f.GetProperty("path").GetString(), f.GetProperty("reason").GetString()))
            .Order()
            .ToArray();
        Assert.Equal(MixedFolder.Bad.Select(b => ((string?)b.Input, (string?)b.Reason)).Order(), failures);
        Assert.Contains("2 worker processes", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ProcessIsolationGoodFolder_ExitsZeroWithEveryThumbnail()
    {
        using var folder = new TempFolder();
        byte[] photo = TestImages.Photo(ThumbnailFormat.Jpeg, 640, 480);
        for (int i = 0; i < 6; i++)
        {
            folder.AddInput($"photo{i}.jpg", photo);
        }

        (int exitCode, string output) = await BatchRun.InProcessAsync(folder.Input, folder.Output, "--isolation", "process", "--workers", "2", "--format", "png");

        Assert.True(exitCode == BatchExitCodes.Success, output);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"photo{i}.png"), folder.OutputFiles());
        foreach (string name in folder.OutputFiles())
        {
            Assert.Equal((SKEncodedImageFormat.Png, 320, 320), OutputProbe.Read(Path.Combine(folder.Output, name)));
        }
    }

    [Fact]
    public async Task RunAsync_ProcessIsolationChildCrashes_ReportsTheFileAsWorkerCrashedAndFinishesTheOthers()
    {
        using var folder = new TempFolder();
        byte[] photo = TestImages.Photo(ThumbnailFormat.Jpeg, 640, 480);
        for (int i = 0; i < 4; i++)
        {
            folder.AddInput($"photo{i}.jpg", photo);
        }

        folder.AddInput("crash-1.jpg", [.. Encoding.UTF8.GetBytes(CrashingThumbnailJob.Marker), .. photo]);
        string report = Path.Combine(folder.Root, "report.json");

        // The children are the test worker, whose job kills its own process on the marked image.
        (int exitCode, string output) = await BatchRun.InProcessAsync(
            BatchRun.CrashingChildren, CancellationToken.None, folder.Input, folder.Output, "--isolation", "process", "--workers", "2", "--json", report);

        Assert.True(exitCode == BatchExitCodes.SomeFailed, output);
        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"photo{i}.jpg"), folder.OutputFiles());
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(report));
        JsonElement failure = Assert.Single(json.RootElement.GetProperty("failures").EnumerateArray());
        Assert.Equal("crash-1.jpg", failure.GetProperty("path").GetString());
        Assert.Equal("WorkerCrashed", failure.GetProperty("reason").GetString());
        Assert.Equal("worker process crashed: signal 9", failure.GetProperty("message").GetString());
        Assert.Contains("crash-1.jpg: WorkerCrashed: worker process crashed: signal 9", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ProcessIsolationMarkedImageWithTheToolsOwnChildren_IsNotAnImageAndCrashesNothing()
    {
        using var folder = new TempFolder();
        byte[] photo = TestImages.Photo(ThumbnailFormat.Jpeg, 640, 480);
        folder.AddInput("photo.jpg", photo);
        folder.AddInput("crash-1.jpg", [.. Encoding.UTF8.GetBytes(CrashingThumbnailJob.Marker), .. photo]);
        string report = Path.Combine(folder.Root, "report.json");

        (int exitCode, string output) = await BatchRun.InProcessAsync(folder.Input, folder.Output, "--isolation", "process", "--workers", "1", "--json", report);

        Assert.True(exitCode == BatchExitCodes.SomeFailed, output);
        Assert.Equal(["photo.jpg"], folder.OutputFiles());
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(report));
        JsonElement failure = Assert.Single(json.RootElement.GetProperty("failures").EnumerateArray());
        Assert.Equal("crash-1.jpg", failure.GetProperty("path").GetString());
        Assert.Equal(nameof(ImageRejectionReason.NotAnImage), failure.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task RunAsync_UnknownIsolation_IsAUsageError()
    {
        using var folder = new TempFolder();

        (int exitCode, string output) = await BatchRun.InProcessAsync(folder.Input, folder.Output, "--isolation", "fork");

        Assert.Equal(BatchExitCodes.UsageError, exitCode);
        Assert.Contains("--isolation must be thread or process; got 'fork'.", output, StringComparison.Ordinal);
    }
}
