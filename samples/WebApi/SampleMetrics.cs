using Prometheus;

namespace TaskPool.Samples.WebApi;

/// <summary>
/// Prometheus export through prometheus-net's MeterAdapter, which republishes every System.Diagnostics.Metrics instrument (TaskPool's
/// <c>taskpool.*</c> ones included) as Prometheus metrics named <c>{meter}_{instrument}</c>: <c>taskpool_taskpool_queue_depth</c> and so on.
/// </summary>
/// <remarks>
/// prometheus-net starts its default adapter only at the first scrape, so counters and histograms recorded before it would be lost;
/// this starts one adapter per process at start-up instead (the default one is suppressed), with histogram buckets fit for job
/// durations: 100 µs to about 52 s, doubling.
/// </remarks>
internal static class SampleMetrics
{
    private static readonly Lazy<IDisposable> s_meterAdapter = new(StartMeterAdapter, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void EnsureMeterAdapterStarted() => _ = s_meterAdapter.Value;

    private static IDisposable StartMeterAdapter()
    {
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressMeters = true });
        double[] buckets = Histogram.ExponentialBuckets(0.0001, 2, 20);
        return MeterAdapter.StartListening(new MeterAdapterOptions { ResolveHistogramBuckets = _ => buckets });
    }
}
