namespace TaskPool.AspNetCore;

/// <summary>Thresholds of a worker pool health check (<c>AddWorkerPoolHealthCheck</c>).</summary>
public sealed class WorkerPoolHealthCheckOptions
{
    /// <summary>
    /// The fraction of the queue's capacity, above which a queue counts as under pressure: 0 (exclusive) to 1 (inclusive). Default 0.8.
    /// </summary>
    public double DegradedQueueFraction { get; set; } = 0.8;

    /// <summary>
    /// How long the queue must stay above <see cref="DegradedQueueFraction"/>, from the first check that saw it there, before the check reports
    /// <see cref="Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded"/>; a check that sees it below resets the clock.
    /// <see cref="TimeSpan.Zero"/> reports Degraded at the first such check. Default 10 seconds.
    /// </summary>
    public TimeSpan DegradedAfter { get; set; } = TimeSpan.FromSeconds(10);
}
