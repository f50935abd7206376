using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TaskPool.AspNetCore.Internal;

/// <summary>
/// Creates the registered pools when the host starts, and drains them when it stops: <see cref="WorkerPool.ShutdownAsync"/> with the
/// host's stop token, so queued jobs still run until the host's shutdown timeout, after which the rest complete as canceled.
/// </summary>
/// <remarks>
/// A web host stops its server before the hosted services registered by the application (they stop in reverse order, and the server is
/// registered last), so requests in flight keep using the pools while Kestrel drains them.
/// </remarks>
internal sealed partial class WorkerPoolHostedService : IHostedService
{
    private readonly WorkerPoolProvider _provider;
    private readonly ILogger<WorkerPoolHostedService> _logger;

    public WorkerPoolHostedService(WorkerPoolProvider provider, ILogger<WorkerPoolHostedService> logger)
    {
        _provider = provider;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _provider.CreateAll();
        foreach (string name in _provider.PoolNames)
        {
            WorkerPool pool = _provider.GetPool(name);
            LogStarted(name, pool.WorkerCount, pool.QueueCapacity);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        LogDraining(_provider.PoolNames.Count);
        await _provider.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        foreach (WorkerPool pool in _provider.CreatedPools)
        {
            WorkerPoolStats stats = pool.GetStats();
            LogStopped(pool.Name, stats.Completed, stats.Faulted, stats.Canceled, stats.Rejected);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Worker pool '{PoolName}' started: {WorkerCount} worker threads, queue capacity {QueueCapacity}.")]
    private partial void LogStarted(string poolName, int workerCount, int queueCapacity);

    [LoggerMessage(2, LogLevel.Information, "Draining {PoolCount} worker pool(s): queued jobs run until the host's shutdown timeout.")]
    private partial void LogDraining(int poolCount);

    [LoggerMessage(3, LogLevel.Information, "Worker pool '{PoolName}' stopped: {Completed} completed, {Faulted} faulted, {Canceled} canceled, {Rejected} rejected.")]
    private partial void LogStopped(string poolName, long completed, long faulted, long canceled, long rejected);
}
