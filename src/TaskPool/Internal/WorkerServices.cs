using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>What every worker of one pool shares: its queue, parking lot, counters, telemetry and deadline alarm. Built once per pool.</summary>
[DebuggerDisplay("{Name,nq}")]
internal sealed class WorkerServices(
    string name,
    JobQueue queue,
    ParkingLot parkingLot,
    ShutdownState shutdown,
    PoolCounters counters,
    PoolMetrics metrics,
    PoolLog log,
    DeadlineAlarm deadlines,
    TimeSpan spinBeforeParking)
{
    internal string Name { get; } = name;

    internal JobQueue Queue { get; } = queue;

    internal ParkingLot ParkingLot { get; } = parkingLot;

    internal ShutdownState Shutdown { get; } = shutdown;

    internal PoolCounters Counters { get; } = counters;

    internal PoolMetrics Metrics { get; } = metrics;

    internal PoolLog Log { get; } = log;

    internal DeadlineAlarm Deadlines { get; } = deadlines;

    /// <summary>How long an idle worker spins before it parks, in <see cref="Stopwatch"/> ticks.</summary>
    internal long SpinTicks { get; } = (long)(spinBeforeParking.TotalSeconds * Stopwatch.Frequency);
}
