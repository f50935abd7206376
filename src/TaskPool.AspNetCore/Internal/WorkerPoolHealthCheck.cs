using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace TaskPool.AspNetCore.Internal;

/// <summary>
/// Healthy; Degraded while the queue stays above a fraction of its capacity or a worker is stuck (and replaced); the failure status once the host
/// stops or the pool shuts down, or when more workers are stuck than may be replaced.
/// One instance per registration, because "stays above" needs the time of the first check that saw the queue there.
/// </summary>
internal sealed class WorkerPoolHealthCheck : IHealthCheck
{
    private readonly string _poolName;
    private readonly IWorkerPoolProvider _provider;
    private readonly WorkerPoolHealthCheckOptions _options;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly TimeProvider _timeProvider;
    private long _aboveSince; // timestamp of the first check that saw the queue above the threshold; 0 when the last check saw it below

    public WorkerPoolHealthCheck(
        string poolName,
        IWorkerPoolProvider provider,
        WorkerPoolHealthCheckOptions options,
        IHostApplicationLifetime? lifetime,
        TimeProvider timeProvider)
    {
        _poolName = poolName;
        _provider = provider;
        _options = options;
        _lifetime = lifetime;
        _timeProvider = timeProvider;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        WorkerPool pool = _provider.GetPool(_poolName);
        WorkerPoolStats stats = pool.GetStats();
        Dictionary<string, object> data = ToData(stats);

        if (_provider.IsShutdownRequested(_poolName) || _lifetime?.ApplicationStopping.IsCancellationRequested == true)
        {
            return Task.FromResult(new HealthCheckResult(
                context.Registration.FailureStatus, $"Worker pool '{_poolName}' is shutting down: it accepts no new jobs.", data: data));
        }

        if (stats.StuckWorkers > pool.MaxStuckWorkerReplacements)
        {
            // Past the replacement bound: a stuck worker holds its slot, and the pool serves with fewer threads than configured.
            return Task.FromResult(new HealthCheckResult(
                context.Registration.FailureStatus,
                $"Worker pool '{_poolName}': {stats.StuckWorkers} worker(s) stuck, more than the {pool.MaxStuckWorkerReplacements} that may be replaced: it serves with fewer threads.",
                data: data));
        }

        if (stats.StuckWorkers > 0)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                $"Worker pool '{_poolName}': {stats.StuckWorkers} worker(s) stuck in a job past its deadline.", data: data));
        }

        double fraction = (double)stats.QueueDepth / stats.QueueCapacity;
        data["queueFraction"] = fraction;
        data["degradedQueueFraction"] = _options.DegradedQueueFraction;
        if (fraction <= _options.DegradedQueueFraction)
        {
            Interlocked.Exchange(ref _aboveSince, 0);
            return Task.FromResult(HealthCheckResult.Healthy(
                $"Worker pool '{_poolName}': {stats.BusyWorkers}/{stats.WorkerCount} workers busy, {stats.QueueDepth}/{stats.QueueCapacity} jobs queued.", data));
        }

        long now = _timeProvider.GetTimestamp();
        long since = Interlocked.CompareExchange(ref _aboveSince, now, 0); // concurrent checks: the first one to see pressure starts the clock
        TimeSpan above = since == 0 ? TimeSpan.Zero : _timeProvider.GetElapsedTime(since, now);
        data["queueAboveThresholdFor"] = above.TotalSeconds;
        string description = $"Worker pool '{_poolName}': {stats.QueueDepth}/{stats.QueueCapacity} jobs queued, above {_options.DegradedQueueFraction:P0} of capacity for {above.TotalSeconds:F1} s.";
        return Task.FromResult(above >= _options.DegradedAfter
            ? HealthCheckResult.Degraded(description, data: data)
            : HealthCheckResult.Healthy(description, data));
    }

    private static Dictionary<string, object> ToData(WorkerPoolStats stats) => new(StringComparer.Ordinal)
    {
        ["workerCount"] = stats.WorkerCount,
        ["busyWorkers"] = stats.BusyWorkers,
        ["idleWorkers"] = stats.IdleWorkers,
        ["queueDepth"] = stats.QueueDepth,
        ["queueCapacity"] = stats.QueueCapacity,
        ["submitted"] = stats.Submitted,
        ["completed"] = stats.Completed,
        ["faulted"] = stats.Faulted,
        ["canceled"] = stats.Canceled,
        ["rejected"] = stats.Rejected,
        ["timedOut"] = stats.TimedOut,
        ["stuckWorkers"] = stats.StuckWorkers,
    };
}
