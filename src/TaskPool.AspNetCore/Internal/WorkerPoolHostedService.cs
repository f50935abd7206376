using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TaskPool.AspNetCore.Internal;

/// <summary>
/// Creates the registered pools when the host starts, and drains them when it stops.
/// </summary>
/// <remarks>
/// <para>
/// The drain begins in <see cref="StoppingAsync"/>, before the server stops: from then on the pools refuse new jobs (endpoints behind
/// <c>RequireWorkerPoolCapacity</c> answer 503 with Retry-After, the health check reports the failure status), and every job already queued
/// still runs. The drain's deadline is the host's <see cref="HostOptions.ShutdownTimeout"/> less a reserve (a tenth of it, at least
/// <see cref="MinResponseReserve"/> but never more than half of it, and at most <see cref="MaxResponseReserve"/>): at the deadline jobs still queued complete as canceled and running jobs see their token canceled,
/// and the reserve leaves their requests the time to answer 503 before the server aborts the connections that remain.
/// </para>
/// <para>
/// With <see cref="WorkerPoolShutdownOptions.ReadinessDelay"/> set, <see cref="StoppingAsync"/> first turns readiness unhealthy and keeps serving
/// for that delay (the pools still accept jobs) before it begins the drain; the host's shutdown timeout was raised by the delay.
/// </para>
/// <para>
/// <see cref="StopAsync"/> waits for the pools' threads to exit, but no longer than the host's own stop token allows: a job that ignores
/// its token cannot hold the host's shutdown hostage.
/// </para>
/// </remarks>
internal sealed partial class WorkerPoolHostedService : IHostedLifecycleService, IDisposable
{
    internal static readonly TimeSpan MaxResponseReserve = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Canceled requests need time to answer (their continuations run, the 503 is serialised, the first time through a path JIT-compiled):
    /// a tenth of a short shutdown timeout (100 ms of 1 s) was seen to be too little, and the server then reset the connections.
    /// </summary>
    internal static readonly TimeSpan MinResponseReserve = TimeSpan.FromMilliseconds(500);

    private readonly WorkerPoolProvider _provider;
    private readonly TimeSpan _shutdownTimeout;
    private readonly TimeSpan _readinessDelay;
    private readonly ILogger<WorkerPoolHostedService> _logger;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _drainDeadline;
    private Task? _drain;

    public WorkerPoolHostedService(
        WorkerPoolProvider provider,
        IOptions<HostOptions> hostOptions,
        IOptions<WorkerPoolShutdownOptions> shutdownOptions,
        ILogger<WorkerPoolHostedService> logger)
    {
        _provider = provider;
        _readinessDelay = shutdownOptions.Value.ReadinessDelay;
        _shutdownTimeout = hostOptions.Value.ShutdownTimeout == Timeout.InfiniteTimeSpan || _readinessDelay <= TimeSpan.Zero
            ? hostOptions.Value.ShutdownTimeout
            : hostOptions.Value.ShutdownTimeout - _readinessDelay; // the host's timeout was raised by the delay (WorkerPoolHostOptionsSetup)
        _logger = logger;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _provider.CreateAll();
        int processorCount = Environment.ProcessorCount; // honours cgroup CPU quotas (Kubernetes limits.cpu), rounded up
        int defaultWorkerCount = new WorkerPoolOptions().WorkerCount;
        foreach (WorkerPool pool in _provider.CreatedPools)
        {
            LogStarted(pool.Name, pool.WorkerCount, processorCount, defaultWorkerCount, pool.QueueCapacity);
        }

        _provider.MarkStarted();
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _provider.MarkStopping(); // readiness turns unhealthy at once
        if (_readinessDelay > TimeSpan.Zero)
        {
            LogReadinessDelay(_readinessDelay.TotalSeconds);
            try
            {
                await Task.Delay(_readinessDelay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // the host's shutdown timeout elapsed: drain now
            }
        }

        _ = BeginDrain(cancellationToken); // StopAsync awaits it
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task drain = BeginDrain(cancellationToken); // already begun in StoppingAsync, unless a host calls StopAsync alone
        try
        {
            await drain.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogAbandoned();
            return;
        }

        foreach (WorkerPool pool in _provider.CreatedPools)
        {
            WorkerPoolStats stats = pool.GetStats();
            LogStopped(pool.Name, stats.Completed, stats.Faulted, stats.Canceled, stats.Rejected);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        lock (_gate)
        {
            _drainDeadline?.Dispose();
        }
    }

    /// <summary>The time the drain may take: the host's shutdown timeout less the reserve for answering canceled requests.</summary>
    internal static TimeSpan GetDrainTimeout(TimeSpan shutdownTimeout)
    {
        if (shutdownTimeout == Timeout.InfiniteTimeSpan)
        {
            return Timeout.InfiniteTimeSpan;
        }

        long reserveTicks = Math.Max(shutdownTimeout.Ticks / 10, MinResponseReserve.Ticks);
        reserveTicks = Math.Min(reserveTicks, Math.Min(shutdownTimeout.Ticks / 2, MaxResponseReserve.Ticks));
        TimeSpan reserve = TimeSpan.FromTicks(reserveTicks);
        return shutdownTimeout - reserve;
    }

    private Task BeginDrain(CancellationToken hostStopToken)
    {
        lock (_gate)
        {
            if (_drain is not null)
            {
                return _drain;
            }

            TimeSpan drainTimeout = GetDrainTimeout(_shutdownTimeout);
            LogDraining(_provider.PoolNames.Count, drainTimeout.TotalSeconds);
            _drainDeadline = CancellationTokenSource.CreateLinkedTokenSource(hostStopToken);
            if (drainTimeout != Timeout.InfiniteTimeSpan)
            {
                _drainDeadline.CancelAfter(drainTimeout);
            }

            _drain = _provider.ShutdownAsync(_drainDeadline.Token);
            return _drain;
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Worker pool '{PoolName}' started: {WorkerCount} worker threads ({ProcessorCount} processors, default {DefaultWorkerCount}), queue capacity {QueueCapacity}.")]
    private partial void LogStarted(string poolName, int workerCount, int processorCount, int defaultWorkerCount, int queueCapacity);

    [LoggerMessage(2, LogLevel.Information, "Draining {PoolCount} worker pool(s): they refuse new jobs; queued jobs run for up to {DrainSeconds} s, then the rest are canceled.")]
    private partial void LogDraining(int poolCount, double drainSeconds);

    [LoggerMessage(3, LogLevel.Information, "Worker pool '{PoolName}' stopped: {Completed} completed, {Faulted} faulted, {Canceled} canceled, {Rejected} rejected.")]
    private partial void LogStopped(string poolName, long completed, long faulted, long canceled, long rejected);

    [LoggerMessage(5, LogLevel.Information, "Shutting down: readiness reports unready; serving on for {DelaySeconds} s so that load balancers notice, then draining.")]
    private partial void LogReadinessDelay(double delaySeconds);

    [LoggerMessage(4, LogLevel.Warning, "The host's shutdown timeout elapsed while worker pool jobs were still running; they ignored their cancellation token.")]
    private partial void LogAbandoned();
}
