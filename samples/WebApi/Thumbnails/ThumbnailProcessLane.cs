using Microsoft.Extensions.Options;
using TaskPool.Isolation;

namespace TaskPool.Samples.WebApi.Thumbnails;

/// <summary>
/// The process pool of <c>POST /thumbnail</c> when <c>Thumbnails:Isolation</c> is <c>Process</c>: created when the host starts
/// (its children are direct children of the server process, started from the server's own program) and shut down when it stops.
/// </summary>
internal sealed class ThumbnailProcessLane : IHostedService, IAsyncDisposable
{
    /// <summary>The name of the process pool (metrics, logs).</summary>
    public const string PoolName = "images-process";

    private readonly ThumbnailSettings _settings;
    private readonly ILoggerFactory _loggerFactory;
    private ProcessPool? _pool;

    public ThumbnailProcessLane(IOptions<ThumbnailSettings> settings, ILoggerFactory loggerFactory)
    {
        _settings = settings.Value;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The pool; throws before the host has started it.</summary>
    public ProcessPool Pool => _pool ?? throw new InvalidOperationException("The thumbnail process pool has not been started.");

    /// <summary>The pool once the host has started it; null before.</summary>
    public ProcessPool? StartedPool => _pool;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _pool = new ProcessPool(new ProcessPoolOptions
        {
            Name = PoolName,
            ProcessCount = _settings.ProcessCount,
            QueueCapacity = _settings.ProcessCount * 4,
            FullMode = QueueFullMode.Reject,
            LoggerFactory = _loggerFactory,
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _pool?.ShutdownAsync(cancellationToken) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_pool is not null)
        {
            await _pool.DisposeAsync();
        }
    }
}
