using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace TaskPool.Samples.WebApi;

/// <summary>
/// <c>GET /metrics</c>: Prometheus text from OpenTelemetry's Prometheus exporter, which names each instrument by the
/// OpenTelemetry-to-Prometheus rules: dots become underscores, the unit is appended (<c>s</c> → <c>_seconds</c>; annotations such as
/// <c>{job}</c> are dropped) and counters end in <c>_total</c>. So the TaskPool meter's <c>taskpool.queue.depth</c> is
/// <c>taskpool_queue_depth</c>, <c>taskpool.jobs.completed</c> is <c>taskpool_jobs_completed_total</c> and <c>taskpool.job.run.duration</c>
/// is <c>taskpool_job_run_duration_seconds_bucket/_sum/_count</c>; tags become labels (<c>taskpool_pool_name</c>, <c>taskpool_job_outcome</c>,
/// <c>taskpool_lane</c>). The meter's name is not prefixed, unlike prometheus-net's MeterAdapter, whose <c>{meter}_{instrument}</c>
/// names came out as <c>taskpool_taskpool_queue_depth</c>.
/// </summary>
/// <remarks>
/// The MeterProvider starts with the host, so nothing recorded after start-up is lost. The TaskPool duration histograms get buckets
/// fit for jobs (100 µs to about 52 s, doubling) instead of the SDK's default millisecond-sized ones. The runtime's own meter
/// (<c>System.Runtime</c>: GC, thread pool, CPU time) is exported too.
/// </remarks>
internal static class SampleMetrics
{
    /// <summary>The path Prometheus scrapes.</summary>
    public const string ScrapePath = "/metrics";

    private static readonly double[] s_durationBuckets = [.. Enumerable.Range(0, 20).Select(static i => 0.0001 * Math.Pow(2, i))];

    public static WebApplicationBuilder AddSampleMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(static r => r.AddService("TaskPool.Samples.WebApi"))
            .WithMetrics(static metrics => metrics
            .AddMeter(WorkerPool.MeterName, "System.Runtime")
            .AddView(static instrument => instrument.Meter.Name == WorkerPool.MeterName && instrument is Histogram<double>
                ? new ExplicitBucketHistogramConfiguration { Boundaries = s_durationBuckets }
                : null)
            .AddPrometheusExporter(static o => o.ScrapeResponseCacheDurationMilliseconds = 0)); // every scrape sees the current values
        return builder;
    }

    public static IEndpointConventionBuilder MapSampleMetrics(this WebApplication app) => app.MapPrometheusScrapingEndpoint(ScrapePath);
}
