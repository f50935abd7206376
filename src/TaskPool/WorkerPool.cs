using System.Diagnostics;
using TaskPool.Internal;

namespace TaskPool;

/// <summary>
/// A fixed-size pool of dedicated threads that run CPU-bound jobs pulled from a bounded queue, so that heavy work
/// (password hashing, image resizing, parsing) never runs on, nor waits for, the .NET ThreadPool threads that serve requests.
/// </summary>
/// <remarks>
/// <para>
/// Submitting (<c>RunAsync</c>, <c>TryRun</c>) is thread-safe and allocation-free in the steady state. The returned <see cref="ValueTask{TResult}"/>
/// completes with the job's value or its exception, and may be awaited only once. A caller's continuation never runs on a worker thread.
/// </para>
/// <para>
/// Jobs receive a <see cref="CancellationToken"/> that is canceled when the caller's token is canceled while the job runs, or when a shutdown is forced.
/// A caller's token canceled before the job starts completes the caller's await at once, and the job never runs.
/// </para>
/// </remarks>
[DebuggerDisplay("{Name,nq}: Workers = {WorkerCount}, Parked = {ParkedWorkers}, Queue = {DebuggerQueueDepth}/{QueueCapacity}")]
public sealed partial class WorkerPool : IAsyncDisposable, IDisposable
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> every pool publishes its instruments on.</summary>
    public const string MeterName = "TaskPool";

    /// <summary>
    /// The name of the <see cref="ActivitySource"/> on which every pool starts one span per job while a listener is attached
    /// (for OpenTelemetry: <c>AddSource(WorkerPool.ActivitySourceName)</c>). The span is parented to the span current at submit,
    /// covers queue wait and run, carries <c>taskpool.job.wait.duration</c> and <c>taskpool.job.run.duration</c> (seconds) and the outcome.
    /// </summary>
    public const string ActivitySourceName = "TaskPool";

    private readonly string _name;
    private readonly bool _rejectWhenFull;
    private readonly bool _flowExecutionContext;
    private readonly long _defaultTimeoutTicks;
    private readonly int _maxQueuedPerKey;
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private readonly JobQueue _queue;
    private readonly ShutdownState _shutdown;
    private readonly PoolCounters _counters;
    private readonly PoolMetrics _metrics;
    private readonly PoolLog _log;
    private readonly WorkerRoster _roster;
    private readonly Watchdog _watchdog;
    private readonly DeadlineAlarm _deadlines;
    private readonly TaskCompletionSource _workersExited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a pool with default options and starts its threads.</summary>
    public WorkerPool()
        : this(new WorkerPoolOptions())
    {
    }

    /// <summary>Creates a pool and starts its <see cref="WorkerPoolOptions.WorkerCount"/> threads.</summary>
    /// <param name="options">The settings; copied, so later changes have no effect on this pool.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the parameter name is the setting's name.</exception>
    public WorkerPool(WorkerPoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        options.Validate();

        _name = options.Name;
        _rejectWhenFull = options.FullMode == QueueFullMode.Reject;
        _flowExecutionContext = options.FlowExecutionContext;
        _defaultTimeoutTicks = options.JobTimeout is { } timeout ? Math.Max(1, (long)(timeout.TotalSeconds * Stopwatch.Frequency)) : 0;
        _log = new PoolLog(options.LoggerFactory);
        _metrics = new PoolMetrics(this, options.MeterFactory);
        _counters = new PoolCounters(_metrics);
        _shutdown = new ShutdownState(_name);

        var parkingLot = new ParkingLot();
        _maxQueuedPerKey = options.MaxQueuedPerKey ?? int.MaxValue;
        _queue = new JobQueue(options.QueueCapacity, ShardCountFor(options), parkingLot, _maxQueuedPerKey, options.PriorityAging);
        _deadlines = new DeadlineAlarm(() => _watchdog!.Start());
        var services = new WorkerServices(_name, _queue, parkingLot, _shutdown, _counters, _metrics, _log, _deadlines, options.SpinBeforeParking);
        _roster = new WorkerRoster(services, options.WorkerCount, options.MaxStuckWorkerReplacements ?? options.WorkerCount, CompleteShutdown);
        _watchdog = new Watchdog(services, _roster, options.StuckJobGracePeriod);
        _roster.Start();
    }

    /// <summary>The pool's name, from <see cref="WorkerPoolOptions.Name"/>.</summary>
    public string Name => _name;

    /// <summary>The number of dedicated worker threads.</summary>
    public int WorkerCount => _roster.WorkerCount;

    /// <summary>The most jobs that can wait in the queue.</summary>
    public int QueueCapacity => _queue.Capacity;

    /// <summary>True only on a thread owned by some <see cref="WorkerPool"/>, that is, inside a job.</summary>
    public static bool IsWorkerThread => Worker.Current is not null;

    /// <summary>The most stuck workers replaced at a time (<see cref="WorkerPoolOptions.MaxStuckWorkerReplacements"/>).</summary>
    public int MaxStuckWorkerReplacements => _roster.MaxStuckReplacements;

    /// <summary>Workers that announced parking and were not claimed yet: asleep, or about to sleep. Exact at rest.</summary>
    internal int ParkedWorkers => _queue.ParkedWorkers;

    private int DebuggerQueueDepth => _queue.Count;

    /// <summary>
    /// Takes a snapshot of the pool's state without taking any lock. <c>BusyWorkers + IdleWorkers == WorkerCount</c> and
    /// <c>QueueDepth &lt;= QueueCapacity</c> hold in every snapshot; see <see cref="WorkerPoolStats"/> for the counters.
    /// </summary>
    public WorkerPoolStats GetStats()
    {
        long now = Stopwatch.GetTimestamp();
        long completed = 0, faulted = 0, canceled = 0, served = 0;
        foreach (Worker worker in _roster.AllWorkers)
        {
            completed += worker.CompletedCount;
            faulted += worker.FaultedCount;
            canceled += worker.CanceledCount;
            served += worker.ServedTicks(now);
        }

        int workers = _roster.WorkerCount;
        int busy = _roster.CountBusy();
        canceled += _counters.CanceledOutsideWorkers;
        long timedOut = _counters.TimedOut;
        long submitted = _counters.Submitted; // read after the outcomes: every job is counted as submitted before any outcome
        var stats = new WorkerPoolStats(
            WorkerCount: workers,
            BusyWorkers: busy,
            IdleWorkers: workers - busy,
            QueueDepth: Math.Min(_queue.Count, _queue.Capacity), // per-shard counts read one after another: a snapshot
            QueueCapacity: _queue.Capacity,
            Submitted: submitted,
            Completed: completed,
            Faulted: faulted,
            Canceled: canceled,
            Rejected: _counters.Rejected,
            TimedOut: timedOut,
            StuckWorkers: _roster.StuckCount)
        {
            Utilization = Math.Clamp(served / ((double)workers * Math.Max(1, now - _startedAt)), 0, 1),
            SaturatedFor = _roster.SaturatedFor(now),
            FairnessKeys = _queue.KeyCount,
        };
        AssertInvariants(stats);
        return stats;
    }

    /// <summary>
    /// How many queue shards a pool gets: one per worker up to one per processor (producers pick theirs by processor), and never more
    /// than the capacity, so that each shard holds at least one slot. One shard keeps the whole queue first-in first-out.
    /// </summary>
    private static int ShardCountFor(WorkerPoolOptions options)
        => Math.Max(1, Math.Min(Math.Min(options.WorkerCount, Environment.ProcessorCount), Math.Min(options.QueueCapacity, 64)));

    [Conditional("DEBUG")]
    private static void AssertInvariants(in WorkerPoolStats stats)
    {
        Debug.Assert(stats.BusyWorkers >= 0 && stats.BusyWorkers <= stats.WorkerCount);
        Debug.Assert(stats.BusyWorkers + stats.IdleWorkers == stats.WorkerCount);
        Debug.Assert(stats.QueueDepth >= 0 && stats.QueueDepth <= stats.QueueCapacity);
        Debug.Assert(stats.Submitted >= stats.Completed + stats.Faulted + stats.Canceled + stats.TimedOut, "Outcomes are read before Submitted and each job is submitted before its outcome.");
        Debug.Assert(stats.StuckWorkers >= 0);
        Debug.Assert(stats.Utilization is >= 0 and <= 1 && stats.SaturatedFor >= TimeSpan.Zero && stats.FairnessKeys >= 0);
    }
}
