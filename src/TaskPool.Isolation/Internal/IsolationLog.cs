using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TaskPool.Isolation.Internal;

/// <summary>The process pool's log lines: children's stderr (Information, with the pid), crashes, kills and restarts (Warning).</summary>
internal sealed partial class IsolationLog
{
    private readonly ILogger _logger;

    internal IsolationLog(ILoggerFactory? loggerFactory)
        => _logger = loggerFactory?.CreateLogger("TaskPool.Isolation.ProcessPool") ?? NullLogger.Instance;

    internal void ChildOutput(string poolName, int childPid, string line)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            LogChildOutput(_logger, poolName, childPid, line);
        }
    }

    internal void ChildCrashed(string poolName, int childPid, string? jobName, string reason)
        => LogChildCrashed(_logger, childPid, poolName, jobName ?? "(none: it was idle)", reason);

    internal void ChildKilled(string poolName, int childPid, string jobName, string reason)
        => LogChildKilled(_logger, childPid, poolName, jobName, reason);

    internal void Restarting(string poolName, int slot, string reason, TimeSpan delay, int consecutiveFailures)
        => LogRestarting(_logger, slot, poolName, reason, delay, consecutiveFailures);

    internal void StartFailed(string poolName, int slot, string reason)
        => LogStartFailed(_logger, slot, poolName, reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "[pool {PoolName}, child {ChildPid}] {Line}")]
    private static partial void LogChildOutput(ILogger logger, string poolName, int childPid, string line);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Child process {ChildPid} of process pool {PoolName} crashed while running {JobName}: {Reason}.")]
    private static partial void LogChildCrashed(ILogger logger, int childPid, string poolName, string jobName, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Child process {ChildPid} of process pool {PoolName} was killed while running {JobName}: {Reason}.")]
    private static partial void LogChildKilled(ILogger logger, int childPid, string poolName, string jobName, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Process pool {PoolName} restarts the child of slot {Slot} ({Reason}) after a back-off of {Delay}; consecutive failures: {ConsecutiveFailures}.")]
    private static partial void LogRestarting(ILogger logger, int slot, string poolName, string reason, TimeSpan delay, int consecutiveFailures);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Process pool {PoolName} could not start the child of slot {Slot}: {Reason}.")]
    private static partial void LogStartFailed(ILogger logger, int slot, string poolName, string reason);
}
