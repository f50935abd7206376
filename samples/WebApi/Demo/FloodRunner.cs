using System.Diagnostics;
using Microsoft.Extensions.Options;
using TaskPool.AspNetCore;
using TaskPool.Samples.WebApi.Hashing;

namespace TaskPool.Samples.WebApi.Demo;

/// <summary>
/// Runs one <see cref="Flood"/> at a time, and ends the running one when the host begins to stop: before the pools drain, since it is
/// registered after them and hosted services stop in reverse order. <see cref="StopAsync"/> waits for its last hash.
/// </summary>
[DebuggerDisplay("Latest = {_latest}, stopping = {_stopping}")]
internal sealed partial class FloodRunner : IHostedLifecycleService
{
    private readonly IWorkerPoolProvider _pools;
    private readonly HashingOptions _hashing;
    private readonly ILogger<FloodRunner> _logger;
    private readonly Lock _gate = new();
    private Flood? _latest;
    private bool _stopping;

    public FloodRunner(IWorkerPoolProvider pools, IOptions<HashingOptions> hashing, ILogger<FloodRunner> logger)
    {
        _pools = pools;
        _hashing = hashing.Value;
        _logger = logger;
    }

    /// <summary>The running flood, or the one that ran last; null before the first.</summary>
    public Flood? Latest
    {
        get
        {
            lock (_gate)
            {
                return _latest;
            }
        }
    }

    /// <summary>Starts a flood unless one is running or the server is stopping. <paramref name="flood"/> is the new or the running flood.</summary>
    public FloodStartOutcome TryStart(HashingMode mode, int seconds, int concurrency, out Flood? flood)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                flood = null;
                return FloodStartOutcome.ServerStopping;
            }

            if (_latest is { Ended.IsCompleted: false } running)
            {
                flood = running;
                return FloodStartOutcome.AlreadyRunning;
            }

            flood = new Flood(mode, seconds, concurrency, _hashing.Iterations, _pools.GetPool(WorkerPoolDefaults.PoolName));
            _latest = flood;
            flood.Start();
        }

        LogStarted(FloodModes.Name(mode), concurrency, seconds, _hashing.Iterations);
        _ = LogEndAsync(flood);
        return FloodStartOutcome.Started;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        Flood? latest;
        lock (_gate)
        {
            _stopping = true;
            latest = _latest;
        }

        latest?.Stop();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Flood? latest = Latest;
        if (latest is null)
        {
            return;
        }

        latest.Stop(); // a host that skips StoppingAsync still ends the flood
        try
        {
            await latest.Ended.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogAbandoned(); // only a hash that outlives the host's shutdown timeout gets here
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task LogEndAsync(Flood flood)
    {
        await flood.Ended.ConfigureAwait(false);
        LogEnded(FloodModes.Name(flood.Mode), flood.Hashes, flood.Rejected, flood.Faulted, flood.FirstFault);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo flood started: {Mode}, {Concurrency} clients for {Seconds} s, PBKDF2 with {Iterations} iterations.")]
    private partial void LogStarted(string mode, int concurrency, int seconds, int iterations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo flood ended: {Mode}, {Hashes} hashes, {Rejected} rejected, {Faulted} faulted.")]
    private partial void LogEnded(string mode, long hashes, long rejected, long faulted, Exception? exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The host stopped before the demo flood's last hash returned.")]
    private partial void LogAbandoned();
}
