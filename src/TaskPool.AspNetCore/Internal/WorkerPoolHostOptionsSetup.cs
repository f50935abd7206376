using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace TaskPool.AspNetCore.Internal;

/// <summary>Raises the host's shutdown timeout by the readiness delay, so that the delay does not eat into the drain's deadline.</summary>
internal sealed class WorkerPoolHostOptionsSetup : IPostConfigureOptions<HostOptions>
{
    private readonly IOptions<WorkerPoolShutdownOptions> _shutdownOptions;

    public WorkerPoolHostOptionsSetup(IOptions<WorkerPoolShutdownOptions> shutdownOptions) => _shutdownOptions = shutdownOptions;

    public void PostConfigure(string? name, HostOptions options)
    {
        TimeSpan delay = _shutdownOptions.Value.ReadinessDelay;
        if (delay > TimeSpan.Zero && options.ShutdownTimeout != Timeout.InfiniteTimeSpan)
        {
            options.ShutdownTimeout += delay;
        }
    }
}
