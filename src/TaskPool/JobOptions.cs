using System.Diagnostics;

namespace TaskPool;

/// <summary>
/// Per-job settings for <c>RunAsync</c>: priority, fairness key, run-time limit and deadline. <c>default</c> means a normal-priority job without a
/// key under the pool's <see cref="WorkerPoolOptions.JobTimeout"/>.
/// </summary>
/// <remarks>
/// The queue orders jobs by priority first (with aging), then serves the fairness keys of one priority in turns, then keeps first-in
/// first-out order within a key. Jobs without a key share one key; at <see cref="JobPriority.Normal"/> they take the queue's fast path.
/// </remarks>
[DebuggerDisplay("Priority = {Priority}, FairnessKey = {FairnessKey}, Timeout = {Timeout}, Deadline = {Deadline}")]
public readonly record struct JobOptions
{
    /// <summary>How urgent the job is. Default <see cref="JobPriority.Normal"/>.</summary>
    public JobPriority Priority { get; init; }

    /// <summary>
    /// Who the job is for (a tenant, a client, a kind of work). Jobs of different keys are served in turns within a priority, and
    /// <see cref="WorkerPoolOptions.MaxQueuedPerKey"/> limits how many jobs one key may have queued. Keys appear and disappear at run
    /// time: a key with nothing queued costs nothing. <see langword="null"/> (the default): the shared key of jobs without one.
    /// </summary>
    public string? FairnessKey { get; init; }

    /// <summary>
    /// How long the job may run once started; overrides <see cref="WorkerPoolOptions.JobTimeout"/>. <see langword="null"/> (the default):
    /// the pool's setting; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: no limit. Otherwise positive and at most
    /// <see cref="WorkerPoolOptions.MaxJobTimeout"/>.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The moment after which the job's answer is worthless (the caller, or its client, will have given up). <see langword="null"/>
    /// (the default): no deadline. A job with a deadline is never started after it:
    /// <list type="bullet">
    /// <item>at submit, the pool refuses it at once with <see cref="WorkerPoolSaturatedException"/>
    /// (<see cref="WorkerPoolSaturatedException.Reason"/> = <see cref="WorkerPoolSaturationReason.DeadlineUnreachable"/>) when the deadline
    /// has passed, or when the jobs queued ahead of it, at the pool's measured drain rate, would keep it from starting in time;</item>
    /// <item>a queued job (or one waiting for queue space in <see cref="QueueFullMode.Wait"/> mode) whose deadline passes before a worker
    /// takes it completes with <see cref="WorkerPoolSaturatedException"/> (<see cref="WorkerPoolSaturationReason.Expired"/>) without running.</item>
    /// </list>
    /// Once started, a job runs to its end: limit its run time with <see cref="Timeout"/>.
    /// </summary>
    public DateTimeOffset? Deadline { get; init; }
}
