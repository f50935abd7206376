using System.Diagnostics;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>
/// Runs one batch on the lane the settings ask for: the thread lane (<see cref="ThreadLane"/>, a <see cref="WorkerPool"/> batch) or
/// the process lane (<see cref="ProcessLane"/>, a <see cref="Isolation.ProcessPool"/>). Both read each file asynchronously into an
/// <see cref="OwnedBuffer{T}"/>, keep at most <c>WorkerCount + QueueCapacity</c> files in flight (memory bounded by the pool's size,
/// not the folder's) and write each thumbnail atomically; <see cref="BatchFiles"/> does the file side and <see cref="BatchLedger"/>
/// keeps the record.
/// </summary>
[DebuggerDisplay("{_settings.Isolation} lane, {_settings.Workers} workers")]
internal sealed class BatchRunner
{
    private readonly BatchSettings _settings;
    private readonly BatchLedger _ledger;
    private readonly BatchFiles _files;

    public BatchRunner(BatchSettings settings, BatchProgress progress)
    {
        _settings = settings;
        _ledger = new BatchLedger(progress);
        _files = new BatchFiles(settings, _ledger);
    }

    /// <summary>Counts the input files: the first of two passes over the folder, so that nothing is kept per file to know the total.</summary>
    public int CountFiles() => _files.Count();

    /// <summary>Runs every file, then summarizes the run; canceling stops it cleanly (see the lanes).</summary>
    public async Task<BatchSummary> RunAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        Task run = _settings.Isolation == BatchIsolation.Process
            ? new ProcessLane(_settings, _files, _ledger).RunAsync(cancellationToken)
            : new ThreadLane(_settings, _files, _ledger).RunAsync(cancellationToken);
        await run.ConfigureAwait(false);
        stopwatch.Stop();
        return _ledger.Summarize(_settings, stopwatch.Elapsed, cancellationToken.IsCancellationRequested);
    }
}
