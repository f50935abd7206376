namespace TaskPool.Samples.BatchThumbnails;

/// <summary>What a run did: the counts, the time, the pool's figures and every failure.</summary>
public sealed class BatchSummary
{
    /// <summary>Files found in the input folder.</summary>
    public int Files { get; init; }

    /// <summary>Thumbnails written.</summary>
    public int Succeeded { get; init; }

    /// <summary>Files that failed; see <see cref="Failures"/>.</summary>
    public int Failed { get; init; }

    /// <summary>Files skipped because their output already existed (no <c>--overwrite</c>).</summary>
    public int Skipped { get; init; }

    /// <summary>Files not processed because the run was canceled.</summary>
    public int NotProcessed { get; init; }

    /// <summary>Whether the run was canceled.</summary>
    public bool Canceled { get; init; }

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Thumbnails written per second of wall-clock time.</summary>
    public double ImagesPerSecond => Elapsed > TimeSpan.Zero ? Succeeded / Elapsed.TotalSeconds : 0;

    /// <summary>The pool's worker threads.</summary>
    public int Workers { get; init; }

    /// <summary>The pool's queue capacity.</summary>
    public int QueueCapacity { get; init; }

    /// <summary>The deepest the pool's queue was seen.</summary>
    public int PeakQueueDepth { get; init; }

    /// <summary>The share of the workers' time spent running jobs, 0..100.</summary>
    public double BusyPercent { get; init; }

    /// <summary>The process's peak resident set size (VmHWM) in bytes; null where /proc/self/status does not exist.</summary>
    public long? PeakRssBytes { get; init; }

    /// <summary>Every failed file with its reason, in the order they failed.</summary>
    public IReadOnlyList<BatchFailure> Failures { get; init; } = [];
}
