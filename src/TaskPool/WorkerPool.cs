using System.Diagnostics;
using System.Threading.Channels;
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
[DebuggerDisplay("{Name,nq}: Workers = {WorkerCount}, Queue = {DebuggerQueueDepth}/{QueueCapacity}")]
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
    private readonly int _queueCapacity;
    private readonly bool _rejectWhenFull;
    private readonly bool _flowExecutionContext;
    private readonly Channel<WorkItem> _queue;
    private readonly ParkingLot _parkingLot = new();
    private readonly TaskCompletionSource _workersExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PoolMetrics _metrics;
    private readonly PoolLog _log;
    private readonly TimeSpan _spinBeforeParking;
    private readonly long _defaultTimeoutTicks;
    private readonly long _stuckGraceTicks;
    private readonly int _maxStuckReplacements;

    // Membership: the serving slots (a replacement takes a stuck worker's slot) and every worker ever started (copy-on-write, for
    // lock-free stats). Changes happen under _membershipLock; they are rare (start, stuck, recovery, exit).
    private readonly Worker[] _workers;
    private readonly Lock _membershipLock = new();
    private Worker[] _allWorkers;
    private int _workersToExit;
    private int _replacementsAlive;
    private int _stuckWorkers;
    private int _generation;
    private bool _shutdownCompleted;
    private Watchdog? _watchdog;

    private int _queueDepth;
    private long _submitted;
    private long _rejected;
    private long _canceledOutsideWorkers;
    private long _timedOut;
    private int _closing;
    private int _forceCanceling;
    private long _forcedAt;

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
        _queueCapacity = options.QueueCapacity;
        _rejectWhenFull = options.FullMode == QueueFullMode.Reject;
        _flowExecutionContext = options.FlowExecutionContext;
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(_queueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
            AllowSynchronousContinuations = false, // a caller waiting for space resumes on the ThreadPool, never on the worker that made room
        });
        _log = new PoolLog(options.LoggerFactory);
        _spinBeforeParking = options.SpinBeforeParking;
        _defaultTimeoutTicks = options.JobTimeout is { } timeout ? Math.Max(1, (long)(timeout.TotalSeconds * Stopwatch.Frequency)) : 0;
        _stuckGraceTicks = (long)(options.StuckJobGracePeriod.TotalSeconds * Stopwatch.Frequency);
        _maxStuckReplacements = options.MaxStuckWorkerReplacements ?? options.WorkerCount;
        _metrics = new PoolMetrics(this, options.MeterFactory);

        _workers = new Worker[options.WorkerCount];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Worker(this, i, generation: 0, _spinBeforeParking);
            _workers[i].HoldsShutdown = true;
            _parkingLot.Add(_workers[i].Parker);
        }

        _allWorkers = (Worker[])_workers.Clone();
        _workersToExit = _workers.Length;
        foreach (Worker worker in _workers)
        {
            worker.Start();
        }
    }

    /// <summary>The pool's name, from <see cref="WorkerPoolOptions.Name"/>.</summary>
    public string Name => _name;

    /// <summary>The number of dedicated worker threads.</summary>
    public int WorkerCount => _workers.Length;

    /// <summary>The most jobs that can wait in the queue.</summary>
    public int QueueCapacity => _queueCapacity;

    /// <summary>True only on a thread owned by some <see cref="WorkerPool"/>, that is, inside a job.</summary>
    public static bool IsWorkerThread => Worker.Current is not null;

    /// <summary>The most stuck workers replaced at a time (<see cref="WorkerPoolOptions.MaxStuckWorkerReplacements"/>).</summary>
    public int MaxStuckWorkerReplacements => _maxStuckReplacements;

    internal PoolMetrics Metrics => _metrics;

    internal PoolLog Log => _log;

    private int DebuggerQueueDepth => Math.Clamp(Volatile.Read(ref _queueDepth), 0, _queueCapacity);

    /// <summary>
    /// Takes a snapshot of the pool's state without taking any lock. <c>BusyWorkers + IdleWorkers == WorkerCount</c> and
    /// <c>QueueDepth &lt;= QueueCapacity</c> hold in every snapshot; see <see cref="WorkerPoolStats"/> for the counters.
    /// </summary>
    public WorkerPoolStats GetStats()
    {
        long completed = 0, faulted = 0, canceled = 0;
        foreach (Worker worker in Volatile.Read(ref _allWorkers))
        {
            completed += worker.CompletedCount;
            faulted += worker.FaultedCount;
            canceled += worker.CanceledCount;
        }

        int busy = 0;
        for (int i = 0; i < _workers.Length; i++)
        {
            busy += Volatile.Read(ref _workers[i]).IsBusy ? 1 : 0;
        }

        canceled += Volatile.Read(ref _canceledOutsideWorkers);
        long timedOut = Volatile.Read(ref _timedOut);
        long submitted = Volatile.Read(ref _submitted); // read after the outcomes: every job is counted as submitted before any outcome
        var stats = new WorkerPoolStats(
            WorkerCount: _workers.Length,
            BusyWorkers: busy,
            IdleWorkers: _workers.Length - busy,
            QueueDepth: Math.Clamp(Volatile.Read(ref _queueDepth), 0, _queueCapacity), // a worker may dequeue before the producer counts the item
            QueueCapacity: _queueCapacity,
            Submitted: submitted,
            Completed: completed,
            Faulted: faulted,
            Canceled: canceled,
            Rejected: Volatile.Read(ref _rejected),
            TimedOut: timedOut,
            StuckWorkers: Volatile.Read(ref _stuckWorkers));
        AssertInvariants(stats);
        return stats;
    }

    [Conditional("DEBUG")]
    private static void AssertInvariants(in WorkerPoolStats stats)
    {
        Debug.Assert(stats.BusyWorkers >= 0 && stats.BusyWorkers <= stats.WorkerCount);
        Debug.Assert(stats.BusyWorkers + stats.IdleWorkers == stats.WorkerCount);
        Debug.Assert(stats.QueueDepth >= 0 && stats.QueueDepth <= stats.QueueCapacity);
        Debug.Assert(stats.Submitted >= stats.Completed + stats.Faulted + stats.Canceled + stats.TimedOut, "Outcomes are read before Submitted and each job is submitted before its outcome.");
        Debug.Assert(stats.StuckWorkers >= 0);
    }
}
