using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace TaskPool.AspNetCore.Internal;

/// <summary>
/// Readiness: Healthy once the pools have started, the failure status before that and from the moment the host begins to stop.
/// </summary>
internal sealed class WorkerPoolReadinessHealthCheck : IHealthCheck
{
    private readonly WorkerPoolProvider _provider;
    private readonly IHostApplicationLifetime? _lifetime;

    public WorkerPoolReadinessHealthCheck(WorkerPoolProvider provider, IHostApplicationLifetime? lifetime)
    {
        _provider = provider;
        _lifetime = lifetime;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_provider.IsStopping || _provider.IsAnyShutdownRequested || _lifetime?.ApplicationStopping.IsCancellationRequested == true)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "The host is shutting down: the instance takes no new work."));
        }

        if (!_provider.IsStarted)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "The worker pools have not started yet."));
        }

        return Task.FromResult(HealthCheckResult.Healthy("The worker pools have started and accept work."));
    }
}
