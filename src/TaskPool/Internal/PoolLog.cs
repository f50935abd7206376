using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TaskPool.Internal;

/// <summary>
/// The pool's log lines: job faults at Debug, stuck workers and saturation at Warning, every line with the pool's name.
/// Nothing is logged for a successful job. Saturation warnings are rate-limited to one per second per pool.
/// </summary>
internal sealed partial class PoolLog
{
    private readonly ILogger _logger;
    private long _lastSaturationWarning;
    private long _saturationsSinceWarning;

    internal PoolLog(ILoggerFactory? loggerFactory)
        => _logger = loggerFactory?.CreateLogger("TaskPool.WorkerPool") ?? NullLogger.Instance;

    internal void JobFaulted(string poolName, string jobName, Exception? exception)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            LogJobFaulted(_logger, poolName, jobName, exception);
        }
    }

    internal void JobTimedOut(string poolName, string jobName, TimeSpan timeout)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            LogJobTimedOut(_logger, poolName, jobName, timeout);
        }
    }

    internal void Saturated(string poolName, int queueCapacity)
    {
        Interlocked.Increment(ref _saturationsSinceWarning); // many refused submitters count at once
        long last = Volatile.Read(ref _lastSaturationWarning);
        long now = Stopwatch.GetTimestamp();
        if (last != 0 && Stopwatch.GetElapsedTime(last, now) < TimeSpan.FromSeconds(1))
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastSaturationWarning, now, last) == last) // one submitter per second writes the line
        {
            LogSaturated(_logger, poolName, queueCapacity, Interlocked.Exchange(ref _saturationsSinceWarning, 0));
        }
    }

    internal void WorkerStuck(string poolName, string workerName, string jobName, TimeSpan overrun, bool replaced, int stuckWorkers, int maxReplacements)
        => LogWorkerStuck(_logger, workerName, poolName, jobName, overrun, replaced ? "a replacement thread took its place" : "no replacement: the limit of replacements is reached", stuckWorkers, maxReplacements);

    internal void StuckWorkerRecovered(string poolName, string workerName)
        => LogStuckWorkerRecovered(_logger, workerName, poolName);

    internal void ShutdownLeftStuckWorkers(string poolName, int stuckWorkers)
        => LogShutdownLeftStuckWorkers(_logger, poolName, stuckWorkers);

    internal void CancellationCallbackFailed(string poolName, Exception exception)
        => LogCancellationCallbackFailed(_logger, poolName, exception);

    internal void ListenerFailed(string poolName, Exception exception)
        => LogListenerFailed(_logger, poolName, exception);

    internal void LateResultDisposeFailed(string poolName, string jobName, Exception exception)
        => LogLateResultDisposeFailed(_logger, poolName, jobName, exception);

    /// <summary>A job was refused because its fairness key already has its share queued; Debug, since a flooding client is expected.</summary>
    internal void KeyLimitReached(string poolName, string fairnessKey, int maxQueuedPerKey)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            LogKeyLimitReached(_logger, poolName, fairnessKey, maxQueuedPerKey);
        }
    }

    internal void WorkerLocalDisposeFailed(string poolName, Exception exception)
        => LogWorkerLocalDisposeFailed(_logger, poolName, exception);

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "A job ({JobName}) faulted in worker pool {PoolName}.")]
    private static partial void LogJobFaulted(ILogger logger, string poolName, string jobName, Exception? exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "A job ({JobName}) in worker pool {PoolName} timed out after {Timeout}; its token was canceled.")]
    private static partial void LogJobTimedOut(ILogger logger, string poolName, string jobName, TimeSpan timeout);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Worker pool {PoolName} is saturated: all {QueueCapacity} queue slots are taken; {Rejected} job(s) rejected since the last warning.")]
    private static partial void LogSaturated(ILogger logger, string poolName, int queueCapacity, long rejected);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Worker {WorkerName} of pool {PoolName} is stuck in a job ({JobName}) that overran its deadline by more than {Overrun}; {Action}. Stuck workers: {StuckWorkers} (at most {MaxReplacements} replaced).")]
    private static partial void LogWorkerStuck(ILogger logger, string workerName, string poolName, string jobName, TimeSpan overrun, string action, int stuckWorkers, int maxReplacements);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Worker {WorkerName} of pool {PoolName} recovered: its stuck job returned.")]
    private static partial void LogStuckWorkerRecovered(ILogger logger, string workerName, string poolName);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Worker pool {PoolName} shut down with {StuckWorkers} stuck worker thread(s) still running their jobs.")]
    private static partial void LogShutdownLeftStuckWorkers(ILogger logger, string poolName, int stuckWorkers);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "A callback registered on a job's token threw when worker pool {PoolName} canceled it.")]
    private static partial void LogCancellationCallbackFailed(ILogger logger, string poolName, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "A metrics or tracing listener threw inside worker pool {PoolName}; the job was not affected.")]
    private static partial void LogListenerFailed(ILogger logger, string poolName, Exception exception);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Disposing the late result of a timed-out job ({JobName}) threw in worker pool {PoolName}.")]
    private static partial void LogLateResultDisposeFailed(ILogger logger, string poolName, string jobName, Exception exception);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Disposing a WorkerLocal value threw on a worker of pool {PoolName}.")]
    private static partial void LogWorkerLocalDisposeFailed(ILogger logger, string poolName, Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Worker pool {PoolName} refused a job of fairness key {FairnessKey}: it already has {MaxQueuedPerKey} queued.")]
    private static partial void LogKeyLimitReached(ILogger logger, string poolName, string fairnessKey, int maxQueuedPerKey);
}
