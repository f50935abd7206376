using System.Diagnostics;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>Live counters of a run, updated from any thread and read by the progress display.</summary>
internal sealed class BatchProgress
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private int _total;
    private int _succeeded;
    private int _failed;
    private int _skipped;

    public int Total
    {
        get => Volatile.Read(ref _total);
        set => Volatile.Write(ref _total, value);
    }

    public int Succeeded => Volatile.Read(ref _succeeded);

    public int Failed => Volatile.Read(ref _failed);

    public int Skipped => Volatile.Read(ref _skipped);

    /// <summary>Files finished one way or another.</summary>
    public int Done => Succeeded + Failed + Skipped;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    /// <summary>Files finished per second so far.</summary>
    public double Rate
    {
        get
        {
            double seconds = Elapsed.TotalSeconds;
            return seconds > 0 ? Done / seconds : 0;
        }
    }

    /// <summary>The estimated time left at the current rate, or null before the first file is done.</summary>
    public TimeSpan? Remaining
    {
        get
        {
            double rate = Rate;
            return rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, Total - Done) / rate) : null;
        }
    }

    public void OnSucceeded() => Interlocked.Increment(ref _succeeded);

    public void OnFailed() => Interlocked.Increment(ref _failed);

    public void OnSkipped() => Interlocked.Increment(ref _skipped);
}
