using System.Diagnostics;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>
/// What a run did, recorded from any thread as it happens: the live counters the progress display reads, every failure, the
/// workers' busy time and the deepest queue seen. <see cref="Summarize"/> turns it into the final <see cref="BatchSummary"/>.
/// </summary>
[DebuggerDisplay("Done = {_progress.Done}/{_progress.Total}, Failed = {_progress.Failed}")]
internal sealed class BatchLedger(BatchProgress progress)
{
    private readonly BatchProgress _progress = progress;
    private readonly Lock _gate = new();
    private readonly List<BatchFailure> _failures = [];
    private long _busyTicks;
    private int _peakQueueDepth;

    public void OnSucceeded() => _progress.OnSucceeded();

    public void OnSkipped() => _progress.OnSkipped();

    public void OnFailed(BatchFailure failure)
    {
        lock (_gate)
        {
            _failures.Add(failure);
        }

        _progress.OnFailed();
    }

    /// <summary>Adds time a worker spent on a file, in <see cref="Stopwatch"/> ticks.</summary>
    public void AddBusyTime(long ticks) => Interlocked.Add(ref _busyTicks, ticks);

    public void ObserveQueueDepth(int depth)
    {
        int peak = Volatile.Read(ref _peakQueueDepth);
        while (depth > peak)
        {
            int seen = Interlocked.CompareExchange(ref _peakQueueDepth, depth, peak);
            if (seen == peak)
            {
                break;
            }

            peak = seen;
        }
    }

    /// <summary>The summary of a run that has ended: nothing records into the ledger any more.</summary>
    public BatchSummary Summarize(BatchSettings settings, TimeSpan elapsed, bool canceled)
    {
        double busyPercent = elapsed > TimeSpan.Zero
            ? 100.0 * Interlocked.Read(ref _busyTicks) / Stopwatch.Frequency / (settings.Workers * elapsed.TotalSeconds)
            : 0;
        lock (_gate)
        {
            return new BatchSummary
            {
                Files = _progress.Total,
                Succeeded = _progress.Succeeded,
                Failed = _progress.Failed,
                Skipped = _progress.Skipped,
                NotProcessed = Math.Max(0, _progress.Total - _progress.Done),
                Canceled = canceled,
                Elapsed = elapsed,
                Workers = settings.Workers,
                QueueCapacity = settings.QueueCapacity,
                PeakQueueDepth = Volatile.Read(ref _peakQueueDepth),
                BusyPercent = Math.Min(100, busyPercent),
                PeakRssBytes = PeakMemory.ReadPeakRssBytes(),
                Failures = [.. _failures],
            };
        }
    }
}
