using System.Diagnostics;

namespace TaskPool;

/// <summary>Settings of <see cref="WorkerPool.RunManyAsync{TSource, TResult}(IEnumerable{TSource}, Func{TSource, CancellationToken, TResult}, RunManyOptions?, CancellationToken)"/>.</summary>
[DebuggerDisplay("MaxInFlight = {MaxInFlight}, CancelOnFirstFailure = {CancelOnFirstFailure}")]
public sealed class RunManyOptions
{
    /// <summary>The most jobs a batch may have queued or running at once: the window that keeps memory bounded for any input size.</summary>
    public const int MaxWindow = 1 << 20;

    /// <summary>
    /// How many jobs may be queued or running at once; results are yielded in input order, so a slow job holds back the yield of later
    /// ones but not their run. <see langword="null"/> (the default): twice the pool's <see cref="WorkerPool.WorkerCount"/>, at most its
    /// <see cref="WorkerPool.QueueCapacity"/> plus <see cref="WorkerPool.WorkerCount"/>. Between 1 and <see cref="MaxWindow"/>.
    /// </summary>
    public int? MaxInFlight { get; set; }

    /// <summary>
    /// When true, the first job that fails (throws anything but a cancellation caused by the batch itself) cancels every other job of
    /// the batch at once, queued ones without running them, and the enumeration throws that first failure, like pond's groups or Java's
    /// <c>StructuredTaskScope</c> with <c>allSuccessfulOrThrow</c>. When false (the default), every job runs, and the enumeration
    /// throws a job's exception when it reaches that job in input order.
    /// </summary>
    public bool CancelOnFirstFailure { get; set; }

    /// <summary>The priority, fairness key and timeout of every job of the batch. Default: plain jobs under the pool's settings.</summary>
    public JobOptions JobOptions { get; set; }
}
