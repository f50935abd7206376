using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace TaskPool.Isolation;

/// <summary>Settings of a <see cref="ProcessPool"/>. The pool copies them when it is constructed; later changes have no effect on it.</summary>
public sealed class ProcessPoolOptions
{
    /// <summary>The most child processes one pool may have.</summary>
    public const int MaxProcessCount = 256;

    /// <summary>The most jobs one pool's queue may hold.</summary>
    public const int MaxQueueCapacity = 1 << 20;

    /// <summary>The smallest <see cref="MemoryLimitBytes"/> accepted: below it the .NET runtime of the child cannot even start.</summary>
    public const long MinMemoryLimitBytes = 64L << 20;

    /// <summary>The longest <see cref="JobTimeout"/>, <see cref="CancelGracePeriod"/> and <see cref="StartTimeout"/> accepted.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(7);

    private const int DefaultQueueSlotsPerProcess = 16;

    private int? _queueCapacity;

    /// <summary>The pool's name: it tags its metrics and log lines. Default <c>"default"</c>.</summary>
    public string Name { get; set; } = "default";

    /// <summary>The number of child processes, 1 to <see cref="MaxProcessCount"/>. Default <c>Math.Max(1, Environment.ProcessorCount - 1)</c>.</summary>
    public int ProcessCount { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>The most jobs that may wait in the queue, 1 to <see cref="MaxQueueCapacity"/>. Default <c>ProcessCount * 16</c>.</summary>
    public int QueueCapacity
    {
        get => _queueCapacity ?? (int)Math.Min((long)ProcessCount * DefaultQueueSlotsPerProcess, MaxQueueCapacity);
        set => _queueCapacity = value;
    }

    /// <summary>What submitting does when the queue is full. Default <see cref="QueueFullMode.Wait"/>.</summary>
    public QueueFullMode FullMode { get; set; } = QueueFullMode.Wait;

    /// <summary>
    /// How long a job may run in its child; past it the caller gets <see cref="TimeoutException"/> and the child's whole process tree
    /// is killed and replaced. The clock starts when the job is sent to a child. <see langword="null"/> (the default) for no limit.
    /// </summary>
    public TimeSpan? JobTimeout { get; set; }

    /// <summary>
    /// The most resident memory (RSS) one child may use while it runs a job, at least <see cref="MinMemoryLimitBytes"/>.
    /// The child's managed heap is capped at the same figure (<c>DOTNET_GCHeapHardLimit</c>) and the pool polls each busy child's RSS
    /// for native memory; past it the job fails with <see cref="WorkerProcessCrashedException"/> naming the limit and the child is replaced.
    /// <see langword="null"/> (the default) for no limit.
    /// </summary>
    public long? MemoryLimitBytes { get; set; }

    /// <summary>Recycles a child (stops it gracefully and starts a fresh one) after it has run this many jobs; <see langword="null"/> (the default) never.</summary>
    public int? MaxJobsPerProcess { get; set; }

    /// <summary>
    /// The program to start as a child. It must call <see cref="ProcessWorkerHost.RunIfWorker"/> first thing in <c>Main</c>.
    /// Default: this program (<see cref="Environment.ProcessPath"/>, plus the entry assembly when it runs through the <c>dotnet</c> host).
    /// </summary>
    public string? WorkerPath { get; set; }

    /// <summary>Arguments placed before the pool's own arguments (which <see cref="ProcessWorkerHost.RunIfWorker"/> recognizes); for example the path of a <c>.dll</c> when <see cref="WorkerPath"/> is <c>dotnet</c>.</summary>
    public IList<string> WorkerArguments { get; } = new List<string>();

    /// <summary>Environment variables set for every child, on top of the parent's.</summary>
    public IDictionary<string, string> WorkerEnvironment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How long a canceled job's handler may ignore its token before its child is killed and replaced. Default 5 s.</summary>
    public TimeSpan CancelGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a child may take from its start to its ready handshake before it is killed and counted as a failed start. Default 30 s.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest back-off between restarts of a child that keeps failing (a crash loop). The first replacement starts at once,
    /// the next ones wait 100 ms, 200 ms, 400 ms... up to this. Default 5 s.
    /// </summary>
    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Where the pool logs children's stderr lines (Information, with the child's pid), crashes and restarts (Warning);
    /// <see langword="null"/> logs nothing.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The factory that creates the pool's <see cref="Meter"/>; <see langword="null"/> creates a plain meter named <see cref="WorkerPool.MeterName"/>.</summary>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>Checks every setting and throws for the first invalid one.</summary>
    /// <exception cref="ArgumentException"><see cref="Name"/> is null, empty or white space, or <see cref="WorkerPath"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A numeric or enum setting is out of range; the parameter name is the option's name.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("ProcessPoolOptions.Name must not be empty.", nameof(Name));
        }

        if (ProcessCount is < 1 or > MaxProcessCount)
        {
            throw new ArgumentOutOfRangeException(nameof(ProcessCount), ProcessCount, $"ProcessPoolOptions.ProcessCount must be between 1 and {MaxProcessCount}.");
        }

        if (QueueCapacity is < 1 or > MaxQueueCapacity)
        {
            throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, $"ProcessPoolOptions.QueueCapacity must be between 1 and {MaxQueueCapacity}.");
        }

        if (!Enum.IsDefined(FullMode))
        {
            throw new ArgumentOutOfRangeException(nameof(FullMode), FullMode, "ProcessPoolOptions.FullMode must be Wait or Reject.");
        }

        if (JobTimeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > MaxTimeout))
        {
            throw new ArgumentOutOfRangeException(nameof(JobTimeout), JobTimeout, $"ProcessPoolOptions.JobTimeout must be positive and at most {MaxTimeout.TotalDays} days, or null for none.");
        }

        if (MemoryLimitBytes is { } limit && limit < MinMemoryLimitBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(MemoryLimitBytes), MemoryLimitBytes, $"ProcessPoolOptions.MemoryLimitBytes must be at least {MinMemoryLimitBytes} bytes, or null for none.");
        }

        if (MaxJobsPerProcess is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxJobsPerProcess), MaxJobsPerProcess, "ProcessPoolOptions.MaxJobsPerProcess must be at least 1, or null for no recycling.");
        }

        if (WorkerPath is not null && string.IsNullOrWhiteSpace(WorkerPath))
        {
            throw new ArgumentException("ProcessPoolOptions.WorkerPath must not be empty; leave it null for this program.", nameof(WorkerPath));
        }

        if (CancelGracePeriod < TimeSpan.Zero || CancelGracePeriod > MaxTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(CancelGracePeriod), CancelGracePeriod, $"ProcessPoolOptions.CancelGracePeriod must be between 0 and {MaxTimeout.TotalDays} days.");
        }

        if (StartTimeout <= TimeSpan.Zero || StartTimeout > MaxTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(StartTimeout), StartTimeout, $"ProcessPoolOptions.StartTimeout must be positive and at most {MaxTimeout.TotalDays} days.");
        }

        if (MaxRestartDelay < TimeSpan.Zero || MaxRestartDelay > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRestartDelay), MaxRestartDelay, "ProcessPoolOptions.MaxRestartDelay must be between 0 and 1 hour.");
        }
    }

    internal ProcessPoolOptions Clone()
    {
        var copy = new ProcessPoolOptions
        {
            Name = Name,
            ProcessCount = ProcessCount,
            _queueCapacity = _queueCapacity,
            FullMode = FullMode,
            JobTimeout = JobTimeout,
            MemoryLimitBytes = MemoryLimitBytes,
            MaxJobsPerProcess = MaxJobsPerProcess,
            WorkerPath = WorkerPath,
            CancelGracePeriod = CancelGracePeriod,
            StartTimeout = StartTimeout,
            MaxRestartDelay = MaxRestartDelay,
            LoggerFactory = LoggerFactory,
            MeterFactory = MeterFactory,
        };
        foreach (string argument in WorkerArguments)
        {
            copy.WorkerArguments.Add(argument);
        }

        foreach (KeyValuePair<string, string> variable in WorkerEnvironment)
        {
            copy.WorkerEnvironment[variable.Key] = variable.Value;
        }

        return copy;
    }
}
