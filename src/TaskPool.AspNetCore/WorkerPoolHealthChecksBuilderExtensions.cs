using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TaskPool;
using TaskPool.AspNetCore;
using TaskPool.AspNetCore.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds worker pool health checks to an <see cref="IHealthChecksBuilder"/>.</summary>
public static class WorkerPoolHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check of the pool named <paramref name="poolName"/>: <see cref="HealthStatus.Healthy"/>;
    /// <see cref="HealthStatus.Degraded"/> while its queue stays above <see cref="WorkerPoolHealthCheckOptions.DegradedQueueFraction"/> of its
    /// capacity for <see cref="WorkerPoolHealthCheckOptions.DegradedAfter"/>, or while a worker is stuck in a job past its deadline
    /// (<see cref="WorkerPoolStats.StuckWorkers"/>); the registration's failure status (default
    /// <see cref="HealthStatus.Unhealthy"/>) when more workers are stuck than <see cref="WorkerPool.MaxStuckWorkerReplacements"/>
    /// (the pool serves with fewer threads), and once the host is stopping or the pool's shutdown began, so that a readiness probe takes the
    /// instance out of rotation while it drains. The result's data carries the pool's <see cref="WorkerPoolStats"/>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="poolName">The pool to check, registered with <c>AddWorkerPool</c>. Default <see cref="WorkerPoolDefaults.PoolName"/>.</param>
    /// <param name="configure">Sets the thresholds; null keeps the defaults.</param>
    /// <param name="name">The health check's name. Default <c>"workerpool:{poolName}"</c>.</param>
    /// <param name="failureStatus">The status reported after shutdown began. Default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>"ready"</c>).</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="poolName"/> is null, empty or white space, or <paramref name="name"/> is empty or white space.</exception>
    public static IHealthChecksBuilder AddWorkerPoolHealthCheck(
        this IHealthChecksBuilder builder,
        string poolName = WorkerPoolDefaults.PoolName,
        Action<WorkerPoolHealthCheckOptions>? configure = null,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(poolName);
        if (name is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
        }

        string checkName = name ?? $"workerpool:{poolName}";
        OptionsBuilder<WorkerPoolHealthCheckOptions> options = builder.Services.AddOptions<WorkerPoolHealthCheckOptions>(checkName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(static o => o.DegradedQueueFraction is > 0 and <= 1, $"{nameof(WorkerPoolHealthCheckOptions)}.{nameof(WorkerPoolHealthCheckOptions.DegradedQueueFraction)} must be above 0 and at most 1.")
            .Validate(static o => o.DegradedAfter >= TimeSpan.Zero, $"{nameof(WorkerPoolHealthCheckOptions)}.{nameof(WorkerPoolHealthCheckOptions.DegradedAfter)} must not be negative.")
            .ValidateOnStart();

        // The check keeps state between runs (since when the queue is under pressure), so one instance serves every run.
        builder.Services.AddKeyedSingleton(checkName, (sp, _) => CreateCheck(sp, checkName, poolName));
        return builder.Add(new HealthCheckRegistration(
            checkName,
            sp => sp.GetRequiredKeyedService<WorkerPoolHealthCheck>(checkName),
            failureStatus,
            tags));
    }

    /// <summary>
    /// Adds a readiness check for a load balancer or Kubernetes readiness probe: <see cref="HealthStatus.Healthy"/> once the worker pools
    /// have started; the failure status (default <see cref="HealthStatus.Unhealthy"/>) before that and from the moment the host begins
    /// to stop, through the readiness delay (<see cref="WorkerPoolShutdownOptions.ReadinessDelay"/>) and the drain.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The health check's name. Default <c>"workerpool:ready"</c>.</param>
    /// <param name="failureStatus">The status reported while not ready. Default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>"ready"</c>).</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public static IHealthChecksBuilder AddWorkerPoolReadinessCheck(
        this IHealthChecksBuilder builder,
        string name = "workerpool:ready",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        return builder.Add(new HealthCheckRegistration(
            name,
            static sp => new WorkerPoolReadinessHealthCheck(
                sp.GetRequiredService<WorkerPoolProvider>(), sp.GetService<Hosting.IHostApplicationLifetime>()),
            failureStatus,
            tags));
    }

    private static WorkerPoolHealthCheck CreateCheck(IServiceProvider services, string checkName, string poolName)
        => new(
            poolName,
            services.GetRequiredService<IWorkerPoolProvider>(),
            services.GetRequiredService<IOptionsMonitor<WorkerPoolHealthCheckOptions>>().Get(checkName),
            services.GetService<Hosting.IHostApplicationLifetime>(),
            services.GetService<TimeProvider>() ?? TimeProvider.System);
}
