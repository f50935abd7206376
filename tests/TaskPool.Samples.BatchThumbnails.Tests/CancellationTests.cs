using SkiaSharp;
using TaskPool.Samples.Imaging;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.BatchThumbnails.Tests;

public sealed class CancellationTests
{
    private const int FileCount = 60;

    [Fact]
    public async Task RunAsync_CanceledMidRun_Exits130WithOnlyCompleteOutputsAndNoTempFiles()
    {
        using var folder = new TempFolder();
        byte[] photo = TestImages.Photo(ThumbnailFormat.Jpeg, 2000, 1500);
        for (int i = 0; i < FileCount; i++)
        {
            folder.AddInput($"photo{i:D3}.jpg", photo);
        }

        using var cancellation = new CancellationTokenSource();
        Task<(int ExitCode, string Output)> run = BatchRun.InProcessAsync(cancellation.Token, folder.Input, folder.Output, "--workers", "1");

        // Cancel as soon as the first thumbnail exists: the run is then certainly under way, with files still to go.
        while (!run.IsCompleted && !Directory.EnumerateFiles(folder.Output, "*.jpg").Any())
        {
            await Task.Delay(5);
        }

        await cancellation.CancelAsync();
        (int exitCode, string output) = await run;

        Assert.Equal(BatchExitCodes.Canceled, exitCode);
        Assert.Contains("Canceled.", output, StringComparison.Ordinal);
        Assert.Contains("not processed:", output, StringComparison.Ordinal);
        string[] outputs = folder.OutputFiles();
        Assert.DoesNotContain(outputs, name => name.EndsWith(".tmp", StringComparison.Ordinal) || name.StartsWith('.'));
        Assert.InRange(outputs.Length, 1, FileCount - 1);
        foreach (string name in outputs)
        {
            Assert.Equal((SKEncodedImageFormat.Jpeg, 320, 320), OutputProbe.Read(Path.Combine(folder.Output, name)));
        }
    }

    [Fact]
    public async Task RunAsync_CanceledBeforeStart_Exits130AndWritesNothing()
    {
        using var folder = new TempFolder();
        MixedFolder.Create(folder);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        (int exitCode, string output) = await BatchRun.InProcessAsync(cancellation.Token, folder.Input, folder.Output);

        Assert.Equal(BatchExitCodes.Canceled, exitCode);
        Assert.Empty(folder.OutputFiles());
        Assert.Contains($"not processed: {MixedFolder.Good.Length + MixedFolder.Bad.Length}", output, StringComparison.Ordinal);
    }
}
