using System.Diagnostics;

namespace TaskPool;

/// <summary>
/// Per-job settings for <c>RunAsync</c>: priority, fairness key and run-time limit. <c>default</c> means a normal-priority job without a
/// key under the pool's <see cref="WorkerPoolOptions.JobTimeout"/>.
/// </summary>
/// <remarks>
/// The queue orders jobs by priority first (with aging), then serves the fairness keys of one priority in turns, then keeps first-in
/// first-out order within a key. Jobs without a key share one key; at <see cref="JobPriority.Normal"/> they take the queue's fast path.
/// </remarks>
[DebuggerDisplay("Priority = {Priority}, FairnessKey = {FairnessKey}, Timeout = {Timeout}")]
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
}
