using System.Runtime.CompilerServices;
using TaskPool.Internal;

namespace TaskPool;

public sealed partial class WorkerPool
{
    /// <summary>
    /// Runs <paramref name="work"/> on every element of <paramref name="source"/> and yields the results in input order, with at most
    /// <see cref="RunManyOptions.MaxInFlight"/> jobs queued or running at once. Jobs are admitted to the queue in batches (one lock per
    /// queue shard, one wake-up per worker needed) and the window is refilled as results are consumed, so memory stays bounded for any
    /// input size. Like TPL Dataflow's <c>EnsureOrdered</c> block, as one call.
    /// </summary>
    /// <remarks>
    /// <para>Backpressure: the batch waits for queue space whatever the pool's <see cref="QueueFullMode"/>: a batch is never refused for a
    /// full queue, it slows down; the enumeration of <paramref name="source"/> slows down with it.</para>
    /// <para>Failures: see <see cref="RunManyOptions.CancelOnFirstFailure"/>. When the enumeration ends early (an exception, a
    /// <c>break</c>, the caller's token), the jobs still in flight are canceled and awaited before it returns: none is left running
    /// unobserved.</para>
    /// </remarks>
    /// <typeparam name="TSource">An input element: passed to the job as is, never boxed.</typeparam>
    /// <typeparam name="TResult">What a job returns.</typeparam>
    /// <param name="source">The inputs; enumerated lazily, once.</param>
    /// <param name="work">The job; pass a static lambda.</param>
    /// <param name="options">The window, the failure mode and the jobs' options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the batch: queued jobs complete as canceled, running ones see their token canceled, and the enumeration throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The results, in input order; enumerate once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="work"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The pool is shutting down (when the enumeration submits a job).</exception>
#pragma warning disable RS0026 // the two overloads differ by the source's type, a required parameter: no call is ambiguous
    public IAsyncEnumerable<TResult> RunManyAsync<TSource, TResult>(IEnumerable<TSource> source, Func<TSource, CancellationToken, TResult> work, RunManyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(work);
        int window = WindowOf(options, out long timeoutTicks);
        return RunManyCoreAsync(source.ToAsyncEnumerable(), work, window, timeoutTicks, options, cancellationToken);
    }

    /// <summary>Like the overload over an <see cref="IEnumerable{T}"/>, over an asynchronous source.</summary>
    /// <typeparam name="TSource">An input element.</typeparam>
    /// <typeparam name="TResult">What a job returns.</typeparam>
    /// <param name="source">The inputs; enumerated lazily, once, with the batch's cancellation token.</param>
    /// <param name="work">The job; pass a static lambda.</param>
    /// <param name="options">The window, the failure mode and the jobs' options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    /// <returns>The results, in input order; enumerate once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="work"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range.</exception>
    public IAsyncEnumerable<TResult> RunManyAsync<TSource, TResult>(IAsyncEnumerable<TSource> source, Func<TSource, CancellationToken, TResult> work, RunManyOptions? options = null, CancellationToken cancellationToken = default)
#pragma warning restore RS0026
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(work);
        int window = WindowOf(options, out long timeoutTicks);
        return RunManyCoreAsync(source, work, window, timeoutTicks, options, cancellationToken);
    }

    /// <summary>Checks the options before anything runs (the enumeration itself starts lazily); returns the window and the jobs' timeout.</summary>
    private int WindowOf(RunManyOptions? options, out long timeoutTicks)
    {
        timeoutTicks = ToTimeoutTicks(options?.JobOptions ?? default);
        if (options is not null)
        {
            if (options.MaxInFlight is < 1 or > RunManyOptions.MaxWindow)
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.MaxInFlight, $"RunManyOptions.MaxInFlight must be between 1 and {RunManyOptions.MaxWindow}.");
            }
        }

        return options?.MaxInFlight ?? Math.Max(1, Math.Min(2 * WorkerCount, QueueCapacity + WorkerCount));
    }

    private async IAsyncEnumerable<TResult> RunManyCoreAsync<TSource, TResult>(
        IAsyncEnumerable<TSource> source,
        Func<TSource, CancellationToken, TResult> work,
        int windowSize,
        long timeoutTicks,
        RunManyOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        JobOptions jobOptions = options?.JobOptions ?? default;
        using var batch = new RunManyBatch(cancellationToken, options?.CancelOnFirstFailure ?? false);
        var window = new ValueTask<TResult>[windowSize];
        var admitting = new WorkItem[windowSize];
        int head = 0;
        int inFlight = 0;
        bool sourceDone = false;
        IAsyncEnumerator<TSource> enumerator = source.GetAsyncEnumerator(batch.Token);
        try
        {
            while (true)
            {
                // Refill once a quarter of the window is free (or the window is empty), so that admissions come in batches.
                if (!sourceDone && (inFlight == 0 || windowSize - inFlight >= Math.Max(1, windowSize / 4)))
                {
                    int count = 0;
                    while (count < windowSize - inFlight)
                    {
                        if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                        {
                            sourceDone = true;
                            break;
                        }

                        batch.ThrowIfStopped();
                        admitting[count++] = RentBatchItem(new BatchJob<TSource, TResult>(work, enumerator.Current, batch), timeoutTicks, jobOptions, batch.Token);
                    }

                    // One batch admission for as many as fit, then the rest one by one as space frees (Wait mode whatever the pool's
                    // mode: a batch slows down, it is never refused). Each item counts in flight once placed, so the cleanup awaits it.
                    int admitted = _queue.TryEnqueueMany(admitting.AsSpan(0, count));
                    for (int i = 0; i < count; i++)
                    {
                        WorkItem<TResult> item = (WorkItem<TResult>)admitting[i];
                        admitting[i] = null!;
                        if (i >= admitted)
                        {
                            try
                            {
                                await WaitForSpaceAsync(item).ConfigureAwait(false);
                            }
                            catch (ObjectDisposedException)
                            {
                                TakeBackUnadmitted(admitting.AsSpan((i + 1)..count));
                                throw;
                            }
                        }

                        window[(head + inFlight) % windowSize] = new ValueTask<TResult>(item, item.Version);
                        inFlight++;
                    }
                }

                if (inFlight == 0)
                {
                    yield break;
                }

                TResult result;
                try
                {
                    result = await window[head].ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    window[head] = default;
                    head = (head + 1) % windowSize;
                    inFlight--;
                    batch.ThrowFirstFailureOr(exception);
                    if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
                    {
                        throw new OperationCanceledException(exception.Message, exception, cancellationToken); // the caller's own token, as with Task.Run
                    }

                    throw;
                }

                window[head] = default;
                head = (head + 1) % windowSize;
                inFlight--;
                yield return result;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);

            // Ended early, or at the end: nothing of this batch may keep running unobserved, and every item goes back to its cache.
            if (inFlight > 0)
            {
                batch.Cancel();
                for (; inFlight > 0; inFlight--)
                {
                    try
                    {
                        await window[head].ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        // Canceled by the batch, or failed: the enumeration already ended with its own outcome.
                    }

                    window[head] = default;
                    head = (head + 1) % windowSize;
                }
            }
        }
    }

    /// <summary>Rents and arms one item of a batch (counted as submitted before its token is registered, as every job).</summary>
    private FuncWorkItem<BatchJob<TSource, TResult>, TResult> RentBatchItem<TSource, TResult>(BatchJob<TSource, TResult> job, long timeoutTicks, JobOptions jobOptions, CancellationToken token)
    {
        ThrowIfClosing();
        var item = FuncWorkItem<BatchJob<TSource, TResult>, TResult>.Rent(job, static (j, ct) => j.Run(ct));
        _counters.OnSubmitted();
        bool traced = PoolTracing.IsEnabled;
        item.Prepare(
            _queue,
            _counters,
            _flowExecutionContext ? ExecutionContext.Capture() : null,
            traced || _metrics.MeasuresWait ? System.Diagnostics.Stopwatch.GetTimestamp() : 0,
            traced,
            timeoutTicks,
            jobOptions.Priority,
            jobOptions.FairnessKey,
            token);
        return item;
    }

    /// <summary>The pool closed while a batch was admitting: the items not queued yet are refused, never accepted.</summary>
    private void TakeBackUnadmitted(Span<WorkItem> items)
    {
        foreach (ref WorkItem item in items)
        {
            if (!TryTakeBack(item, Admission.Closed))
            {
                item.ReleaseHold(WorkItem.HeldByCaller); // the batch's token canceled it first, and nobody will await it
            }

            item = null!;
        }
    }

    /// <summary>One job of a batch: the user's delegate and input, and the batch that a failure may cancel.</summary>
    private readonly struct BatchJob<TSource, TResult>(Func<TSource, CancellationToken, TResult> work, TSource input, RunManyBatch batch)
    {
        public TResult Run(CancellationToken cancellationToken)
        {
            try
            {
                return work(input, cancellationToken);
            }
            catch (Exception exception) when (batch.RecordFailure(exception))
            {
                throw; // never reached: RecordFailure only records, and the exception goes on unchanged
            }
        }
    }
}
