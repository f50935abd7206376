using System.Diagnostics;
using HdrHistogram;

namespace TaskPool.LoadTest;

/// <summary>An HdrHistogram of latencies in microseconds (up to 2 minutes, 3 significant digits), safe to record from many tasks.</summary>
internal sealed class LatencyRecorder
{
    private static readonly long s_highest = (long)TimeSpan.FromMinutes(2).TotalMicroseconds;

    private readonly LongHistogram _histogram = new(s_highest, 3);
    private readonly Lock _gate = new();
    private long _failures;

    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _histogram.TotalCount;
            }
        }
    }

    public long Failures => Interlocked.Read(ref _failures);

    public void Record(long startTimestamp, long endTimestamp)
    {
        long micros = Math.Clamp((long)Stopwatch.GetElapsedTime(startTimestamp, endTimestamp).TotalMicroseconds, 1, s_highest);
        lock (_gate)
        {
            _histogram.RecordValue(micros);
        }
    }

    public void RecordFailure() => Interlocked.Increment(ref _failures);

    /// <summary>The latency at <paramref name="percentile"/> (0..100), in milliseconds.</summary>
    public double PercentileMs(double percentile)
    {
        lock (_gate)
        {
            return _histogram.TotalCount == 0 ? double.NaN : _histogram.GetValueAtPercentile(percentile) / 1000.0;
        }
    }

    public double MaxMs()
    {
        lock (_gate)
        {
            return _histogram.TotalCount == 0 ? double.NaN : _histogram.GetMaxValue() / 1000.0;
        }
    }
}
