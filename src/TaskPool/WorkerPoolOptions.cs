using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace TaskPool;

/// <summary>Settings of a <see cref="WorkerPool"/>. The pool copies them when it is constructed; later changes have no effect on it.</summary>
public sealed class WorkerPoolOptions
{
    /// <summary>The most worker threads one pool may have.</summary>
    public const int MaxWorkerCount = 4096;

    /// <summary>The most jobs one pool's queue may hold.</summary>
    public const int MaxQueueCapacity = 1 << 24;

    /// <summary>The longest <see cref="JobTimeout"/> (and per-call timeout) accepted.</summary>
    public static readonly TimeSpan MaxJobTimeout = TimeSpan.FromDays(7);

    private const int DefaultQueueSlotsPerWorker = 64;

    private int? _queueCapacity;

    /// <summary>The pool's name: it names the worker threads (<c>"{Name} worker {i}"</c>) and tags its metrics. Default <c>"default"</c>.</summary>
    public string Name { get; set; } = "default";

    /// <summary>
    /// The number of dedicated worker threads, 1 to <see cref="MaxWorkerCount"/>.
    /// Default <c>Math.Max(1, cores - 1 - cores / 8)</c>, with <c>cores</c> = <see cref="Environment.ProcessorCount"/>: one core, plus one
    /// per eight, is left for request handling (2 cores: 1 worker; 4: 3; 8: 6; 16: 13; 64: 55). At 14 cores, 13 workers let <c>/ping</c>'s
    /// p99 under a hashing flood reach 3.9 to 4.6 times its idle value, 12 workers 0.9 times: the request path needs more than one core
    /// once the machine is large (docs/core.md, "Default worker count").
    /// <see cref="Environment.ProcessorCount"/> honours container CPU limits (cgroup quotas).
    /// </summary>
    public int WorkerCount { get; set; } = DefaultWorkerCount;

    /// <summary>The most jobs that may wait in the queue, 1 to <see cref="MaxQueueCapacity"/>. Default <c>WorkerCount * 64</c>.</summary>
    public int QueueCapacity
    {
        get => _queueCapacity ?? (int)Math.Min((long)WorkerCount * DefaultQueueSlotsPerWorker, MaxQueueCapacity);
        set => _queueCapacity = value;
    }

    /// <summary>What submitting does when the queue is full. Default <see cref="QueueFullMode.Wait"/>.</summary>
    public QueueFullMode FullMode { get; set; } = QueueFullMode.Wait;

    /// <summary>
    /// Whether a job runs under the submitting caller's <see cref="ExecutionContext"/> (its <see cref="AsyncLocal{T}"/> values,
    /// <see cref="System.Diagnostics.Activity.Current"/>, culture), like <see cref="Task.Run(Action)"/>. Default <see langword="true"/>.
    /// Set it to <see langword="false"/> for the cheaper behaviour of <see cref="ThreadPool.UnsafeQueueUserWorkItem(WaitCallback, object?)"/>:
    /// jobs then run under an empty context.
    /// </summary>
    public bool FlowExecutionContext { get; set; } = true;

    /// <summary>
    /// How long an idle worker spins looking for work before it parks (blocks without using CPU).
    /// Spinning lets a worker pick up the next job in well under a microsecond instead of paying a thread wake-up (several microseconds);
    /// it costs CPU only right after the worker ran out of work. <see cref="TimeSpan.Zero"/> parks at once. Default 50 µs; at most 10 ms.
    /// </summary>
    public TimeSpan SpinBeforeParking { get; set; } = TimeSpan.FromMicroseconds(50);

    /// <summary>
    /// How long a job may run before its caller's await completes with <see cref="WorkerPoolJobTimeoutException"/> (a <see cref="TimeoutException"/>) and the job's token is canceled;
    /// <see langword="null"/> (the default) for no limit. The clock starts when a worker starts the job, not while it waits in the queue.
    /// A result that arrives after the deadline is discarded (disposed, if it is <see cref="IDisposable"/>). A per-call timeout overrides it.
    /// </summary>
    public TimeSpan? JobTimeout { get; set; }

    /// <summary>
    /// How long past its deadline a job may keep running before its worker is declared stuck and replaced by a new thread
    /// (.NET cannot abort a thread; the stuck one retires when its job returns). Also how long a forced shutdown waits for running jobs
    /// that ignore their canceled token before it returns and reports them as stuck. Default 5 s.
    /// </summary>
    public TimeSpan StuckJobGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most stuck workers replaced at a time, so that a storm of runaway jobs cannot create threads without bound; past it a stuck
    /// worker keeps its slot and the pool serves with fewer threads. Default <see cref="WorkerCount"/>; 0 disables replacement.
    /// </summary>
    public int? MaxStuckWorkerReplacements { get; set; }

    /// <summary>
    /// How long a job may wait before it is served as if its priority were one level higher (<see cref="JobPriority"/>): a steady stream
    /// of high-priority jobs cannot starve the others. Under such a stream the normal level is served at least once per period and the
    /// low level at least once per two periods, one job per turn (its fairness keys in turns). Default 1 s; at least 1 ms, at most 1 hour.
    /// </summary>
    public TimeSpan PriorityAging { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most jobs one fairness key (<see cref="JobOptions.FairnessKey"/>) may have queued, so that one tenant cannot fill the shared
    /// queue. Past it, that key's jobs are refused (<see cref="QueueFullMode.Reject"/>: <see cref="WorkerPoolSaturatedException"/>
    /// with <see cref="WorkerPoolSaturatedException.FairnessKey"/>) or wait (<see cref="QueueFullMode.Wait"/>), while other keys still
    /// get in. Jobs without a key are bounded by <see cref="QueueCapacity"/> only. <see langword="null"/> (the default): no limit.
    /// </summary>
    public int? MaxQueuedPerKey { get; set; }

    /// <summary>
    /// Queue-delay shedding, CoDel style ("Fail at Scale", ACM Queue 2015): when the queue has not been empty at any moment of the last
    /// <see cref="QueueDelayInterval"/> (a standing queue), a job that waited longer than this target is shed by the worker that takes
    /// it: its await completes with <see cref="WorkerPoolSaturatedException"/> (<see cref="WorkerPoolSaturationReason.QueueDelay"/>)
    /// and it never runs. A burst that drains within the interval is absorbed whole; a standing queue cannot keep every answer late.
    /// <see langword="null"/> (the default): off. Otherwise between 1 ms and 1 hour.
    /// </summary>
    public TimeSpan? QueueDelayTarget { get; set; }

    /// <summary>
    /// How long the queue must stay non-empty before <see cref="QueueDelayTarget"/> applies (CoDel's interval). Default 100 ms; between
    /// 1 ms and 1 hour. Ignored while <see cref="QueueDelayTarget"/> is null.
    /// </summary>
    public TimeSpan QueueDelayInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Where the pool logs job faults (Debug), stuck workers and saturation (Warning); <see langword="null"/> logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The factory that creates the pool's <see cref="Meter"/> (for dependency injection); <see langword="null"/> creates a plain meter named <see cref="WorkerPool.MeterName"/>.</summary>
    public IMeterFactory? MeterFactory { get; set; }

    internal static int DefaultWorkerCount => DefaultWorkerCountFor(Environment.ProcessorCount);

    /// <summary>The default <see cref="WorkerCount"/> on a machine with <paramref name="cores"/> processors.</summary>
    internal static int DefaultWorkerCountFor(int cores) => Math.Max(1, cores - 1 - (cores / 8));

    /// <summary>Checks every setting and throws for the first invalid one.</summary>
    /// <exception cref="ArgumentException"><see cref="Name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A numeric or enum setting is out of range; the parameter name is the option's name.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("WorkerPoolOptions.Name must not be empty.", nameof(Name));
        }

        if (WorkerCount is < 1 or > MaxWorkerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(WorkerCount), WorkerCount, $"WorkerPoolOptions.WorkerCount must be between 1 and {MaxWorkerCount}.");
        }

        if (QueueCapacity is < 1 or > MaxQueueCapacity)
        {
            throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, $"WorkerPoolOptions.QueueCapacity must be between 1 and {MaxQueueCapacity}.");
        }

        if (!Enum.IsDefined(FullMode))
        {
            throw new ArgumentOutOfRangeException(nameof(FullMode), FullMode, "WorkerPoolOptions.FullMode must be Wait or Reject.");
        }

        if (JobTimeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > MaxJobTimeout))
        {
            throw new ArgumentOutOfRangeException(nameof(JobTimeout), JobTimeout, $"WorkerPoolOptions.JobTimeout must be positive and at most {MaxJobTimeout.TotalDays} days, or null for none.");
        }

        if (StuckJobGracePeriod < TimeSpan.Zero || StuckJobGracePeriod > MaxJobTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(StuckJobGracePeriod), StuckJobGracePeriod, $"WorkerPoolOptions.StuckJobGracePeriod must be between 0 and {MaxJobTimeout.TotalDays} days.");
        }

        if (MaxStuckWorkerReplacements is < 0 or > MaxWorkerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStuckWorkerReplacements), MaxStuckWorkerReplacements, $"WorkerPoolOptions.MaxStuckWorkerReplacements must be between 0 and {MaxWorkerCount}, or null for WorkerCount.");
        }

        if (PriorityAging < TimeSpan.FromMilliseconds(1) || PriorityAging > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(PriorityAging), PriorityAging, "WorkerPoolOptions.PriorityAging must be between 1 ms and 1 hour.");
        }

        if (MaxQueuedPerKey is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueuedPerKey), MaxQueuedPerKey, "WorkerPoolOptions.MaxQueuedPerKey must be at least 1, or null for no limit.");
        }

        if (QueueDelayTarget is { } target && (target < TimeSpan.FromMilliseconds(1) || target > TimeSpan.FromHours(1)))
        {
            throw new ArgumentOutOfRangeException(nameof(QueueDelayTarget), QueueDelayTarget, "WorkerPoolOptions.QueueDelayTarget must be between 1 ms and 1 hour, or null for none.");
        }

        if (QueueDelayInterval < TimeSpan.FromMilliseconds(1) || QueueDelayInterval > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(QueueDelayInterval), QueueDelayInterval, "WorkerPoolOptions.QueueDelayInterval must be between 1 ms and 1 hour.");
        }

        if (SpinBeforeParking < TimeSpan.Zero || SpinBeforeParking > TimeSpan.FromMilliseconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(SpinBeforeParking), SpinBeforeParking, "WorkerPoolOptions.SpinBeforeParking must be between 0 and 10 ms.");
        }
    }

    internal WorkerPoolOptions Clone() => new()
    {
        Name = Name,
        WorkerCount = WorkerCount,
        _queueCapacity = _queueCapacity,
        FullMode = FullMode,
        FlowExecutionContext = FlowExecutionContext,
        SpinBeforeParking = SpinBeforeParking,
        JobTimeout = JobTimeout,
        StuckJobGracePeriod = StuckJobGracePeriod,
        MaxStuckWorkerReplacements = MaxStuckWorkerReplacements,
        PriorityAging = PriorityAging,
        MaxQueuedPerKey = MaxQueuedPerKey,
        QueueDelayTarget = QueueDelayTarget,
        QueueDelayInterval = QueueDelayInterval,
        LoggerFactory = LoggerFactory,
        MeterFactory = MeterFactory,
    };
}
