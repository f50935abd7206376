namespace TaskPool.AspNetCore;

/// <summary>How the host takes the worker pools out of service when it stops (rolling deploys behind a load balancer).</summary>
public sealed class WorkerPoolShutdownOptions
{
    /// <summary>The configuration section the sample server binds these options from: <c>Shutdown</c>.</summary>
    public const string ConfigurationSectionName = "Shutdown";

    /// <summary>
    /// How long, once the host begins to stop, the instance keeps serving (arriving and in-flight requests, the pools still accepting jobs)
    /// while the readiness check already reports it unready, so that a load balancer notices and stops sending it traffic before the drain
    /// begins. Default <see cref="TimeSpan.Zero"/>: the drain begins at once. The host's <c>ShutdownTimeout</c> is raised by this delay,
    /// so the drain keeps its full deadline.
    /// </summary>
    public TimeSpan ReadinessDelay { get; set; } = TimeSpan.Zero;
}
