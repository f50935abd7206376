using System.Globalization;
using TaskPool.Samples.Imaging;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.BatchThumbnails.Tests;

/// <summary>
/// The thread lane's memory bound, counted with the TaskPool meter's buffer counters: one pooled input buffer per file, at most
/// <c>workers + queue capacity</c> (3 per worker) out at once whatever the folder's size, and every one given back, canceled or not.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class ThreadLaneMemoryTests
{
    private const int FileCount = 40;
    private const int FilesInFlightPerWorker = 3; // one running, two queued (QueueSlotsPerWorker)

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task RunAsync_FolderMuchLargerThanThePool_KeepsAtMostTheWindowOfInputBuffersOut(int workers)
    {
        using var folder = new TempFolder();
        byte[] photo = TestImages.Photo(ThumbnailFormat.Jpeg, 640, 480);
        for (int i = 0; i < FileCount; i++)
        {
            folder.AddInput($"photo{i:D3}.jpg", photo);
        }

        using var buffers = new OwnedBufferGauge();
        (int exitCode, string output) = await BatchRun.InProcessAsync(folder.Input, folder.Output, "--workers", workers.ToString(CultureInfo.InvariantCulture));

        Assert.True(exitCode == BatchExitCodes.Success, output);
        Assert.Equal(FileCount, folder.OutputFiles().Length);
        Assert.Equal(FileCount, buffers.Rented);
        Assert.Equal(buffers.Rented, buffers.Returned);
        Assert.InRange(buffers.PeakOut, 1, FilesInFlightPerWorker * workers);
    }

    [Fact]
    public async Task RunAsync_CanceledWithFilesQueued_GivesEveryInputBufferBack()
    {
        using var folder = new TempFolder();
        byte[] photo = TestImages.Photo(ThumbnailFormat.Jpeg, 2000, 1500);
        for (int i = 0; i < FileCount; i++)
        {
            folder.AddInput($"photo{i:D3}.jpg", photo);
        }

        using var buffers = new OwnedBufferGauge();
        using var cancellation = new CancellationTokenSource();
        Task<(int ExitCode, string Output)> run = BatchRun.InProcessAsync(cancellation.Token, folder.Input, folder.Output, "--workers", "1");

        // Cancel once the first thumbnail exists: the one worker then runs a file and the queue holds the next ones, already read.
        while (!run.IsCompleted && !Directory.EnumerateFiles(folder.Output, "*.jpg").Any())
        {
            await Task.Delay(5);
        }

        await cancellation.CancelAsync();
        (int exitCode, string output) = await run;

        Assert.True(exitCode == BatchExitCodes.Canceled, output);
        Assert.InRange(buffers.Rented, 2, FileCount - 1);
        Assert.Equal(buffers.Rented, buffers.Returned);
    }
}
