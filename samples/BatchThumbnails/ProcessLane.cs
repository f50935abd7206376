using System.Diagnostics;
using TaskPool.Isolation;
using TaskPool.Samples.Imaging;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>
/// The process lane (<c>--isolation process</c>): the thumbnails are made in a <see cref="ProcessPool"/> of child processes running
/// <see cref="BatchSettings.Children"/>, so a crash in a decoder costs one file (WorkerCrashed), never the run.
/// </summary>
/// <remarks>
/// Bounded memory: a file is read only once one of <c>WorkerCount + QueueCapacity</c> permits is free, one per child plus one per
/// queue slot, and its permit comes back when its thumbnail is written or it failed. So at most that many input buffers and results
/// exist at once, and the queue never has to make a submitter wait.
/// </remarks>
[DebuggerDisplay("{_settings.Workers} worker processes")]
internal sealed class ProcessLane(BatchSettings settings, BatchFiles files, BatchLedger ledger)
{
    private readonly BatchSettings _settings = settings;
    private readonly BatchFiles _files = files;
    private readonly BatchLedger _ledger = ledger;

    /// <summary>Runs every file; returns when each is written, failed or (after cancellation) left unprocessed, and the pool is shut down.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        int permits = _settings.Workers + _settings.QueueCapacity;
        using var inFlight = new SemaphoreSlim(permits, permits);
        var pool = new ProcessPool(ProcessWorker.CreateOptions(_settings.Workers, _settings.QueueCapacity, _settings.Children));
        try
        {
            foreach (BatchFile file in _files.Claim(cancellationToken))
            {
                await inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
                _ = ProcessAsync(pool, file, inFlight, cancellationToken);
                _ledger.ObserveQueueDepth(pool.GetStats().QueueDepth);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        // Wait for every file in flight: take back all the permits.
        for (int i = 0; i < permits; i++)
        {
            await inFlight.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await pool.ShutdownAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>One file, from read to rename. Never throws; always returns its permit.</summary>
    private async Task ProcessAsync(ProcessPool pool, BatchFile file, SemaphoreSlim inFlight, CancellationToken cancellationToken)
    {
        string stage = BatchFailure.ReadError;
        try
        {
            OwnedBuffer<byte> image = await _files.ReadAsync(file, cancellationToken).ConfigureAwait(false);
            ReadOnlyMemory<byte> thumbnail = await InChildProcessAsync(pool, image, cancellationToken).ConfigureAwait(false);
            stage = BatchFailure.WriteError;
            await _files.WriteAsync(file, thumbnail).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Not processed: counted as such in the summary.
        }
#pragma warning disable CA1031 // One bad file must never stop the run: anything else is recorded against the file.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _ledger.OnFailed(BatchFailure.FromException(file.Relative, ex, stage));
        }
        finally
        {
            inFlight.Release();
        }
    }

    /// <summary>
    /// The same pipeline in a child; a refusal in the child comes back as the same <see cref="ImageRejectedException"/>. Takes
    /// <paramref name="image"/> and gives it back to the pool as soon as it is packed into the job's input.
    /// </summary>
    private async Task<ReadOnlyMemory<byte>> InChildProcessAsync(ProcessPool pool, OwnedBuffer<byte> image, CancellationToken cancellationToken)
    {
        byte[] input;
        using (image)
        {
            input = ThumbnailJob.EncodeInput(image.Span, _settings.Options, _settings.Limits, _settings.Engine);
        }

        long start = Stopwatch.GetTimestamp(); // from submission: includes the time queued for a child
        try
        {
            return await pool.RunAsync(ThumbnailJob.JobName, input, cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteJobException ex) when (ThumbnailJob.TryGetRejection(ex.RemoteType, ex.RemoteMessage, out ImageRejectedException? rejection))
        {
            throw rejection;
        }
        finally
        {
            _ledger.AddBusyTime(Stopwatch.GetTimestamp() - start);
        }
    }
}
