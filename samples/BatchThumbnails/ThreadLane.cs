using System.Diagnostics;
using System.Runtime.CompilerServices;
using TaskPool.Samples.Imaging;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>
/// The thread lane (the default): one <see cref="WorkerPool.RunManyAsync{TSource, TResult}(IAsyncEnumerable{TSource}, Func{TSource, CancellationToken, TResult}, RunManyOptions?, CancellationToken)"/>
/// batch over the folder. The batch reads each file asynchronously (on the caller's side) into an <see cref="OwnedBuffer{T}"/>,
/// a worker makes the thumbnail, and the results come back in input order, where they are written atomically.
/// </summary>
/// <remarks>
/// <para>Bounded memory: the batch keeps at most <c>WorkerCount + QueueCapacity</c> files in flight (its window), counting a
/// finished thumbnail until it is written; a file is read only when the window has room. So at most that many input buffers and
/// thumbnails exist at once, however many files the folder holds.</para>
/// <para>Order and progress: a file counts as done when its thumbnail is written, in input order, so a slow file holds back the
/// count of the files after it (never their work) by at most the window.</para>
/// <para>Failures: a job returns a <see cref="ThumbnailOutcome"/> instead of throwing, because the batch's enumeration would end
/// at a job's exception; one bad file never stops the run.</para>
/// <para>Ctrl+C: the batch's token cancels the jobs still queued (they never run) and the running ones at the pipeline's next
/// phase; a thumbnail already made is still written. The buffers of files read but never run go back to the pool here.</para>
/// </remarks>
[DebuggerDisplay("{_settings.Workers} workers")]
internal sealed class ThreadLane(BatchSettings settings, BatchFiles files, BatchLedger ledger)
{
    private readonly BatchSettings _settings = settings;
    private readonly BatchFiles _files = files;
    private readonly BatchLedger _ledger = ledger;

    /// <summary>Runs every file; returns when each is written, failed or (after cancellation) left unprocessed, and the pool is shut down.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var pool = new WorkerPool(new WorkerPoolOptions
        {
            Name = "thumbs",
            WorkerCount = _settings.Workers,
            QueueCapacity = _settings.QueueCapacity,
            FullMode = QueueFullMode.Wait,
        });
        var window = new RunManyOptions { MaxInFlight = _settings.Workers + _settings.QueueCapacity };
        var loaded = new Queue<LoadedFile>(window.MaxInFlight.Value); // read and handed to the batch, not yet written: input order
        try
        {
            await foreach (ThumbnailOutcome outcome in pool.RunManyAsync(LoadAllAsync(loaded, cancellationToken), MakeThumbnail, window, cancellationToken).ConfigureAwait(false))
            {
                LoadedFile file = loaded.Dequeue();
                Debug.Assert(ReferenceEquals(file.File, outcome.File), "RunManyAsync yields in input order.");
                _ledger.ObserveQueueDepth(pool.GetStats().QueueDepth);
                await FinishAsync(outcome).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The files not finished count as not processed.
        }
        finally
        {
            // The batch has awaited all its jobs; the files still here were canceled before their job ran.
            while (loaded.TryDequeue(out LoadedFile? file))
            {
                file.Dispose();
            }

            await pool.ShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The batch's source: each claimed file, read into a pooled buffer. A file that cannot be read is recorded and left out.</summary>
    private async IAsyncEnumerable<LoadedFile> LoadAllAsync(Queue<LoadedFile> loaded, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (BatchFile file in _files.Claim(cancellationToken))
        {
            OwnedBuffer<byte> bytes;
            try
            {
                bytes = await _files.ReadAsync(file, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _ledger.OnFailed(BatchFailure.FromException(file.Relative, ex, BatchFailure.ReadError));
                continue;
            }

            var input = new LoadedFile(file, bytes);
            loaded.Enqueue(input);
            yield return input;
        }
    }

    /// <summary>The job, on a worker thread: never throws, so that the batch goes on past a bad file.</summary>
    private ThumbnailOutcome MakeThumbnail(LoadedFile input, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            ThumbnailResult result = ThumbnailGenerator.Generate(input.Bytes.Span, _settings.Options, _settings.Limits, _settings.Engine, cancellationToken);
            return ThumbnailOutcome.Made(input.File, result.Data);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ThumbnailOutcome.Canceled(input.File);
        }
#pragma warning disable CA1031 // One bad file must never stop the run: anything else is recorded against the file.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ThumbnailOutcome.Failed(input.File, BatchFailure.FromException(input.File.Relative, ex, BatchFailure.ReadError));
        }
        finally
        {
            input.Dispose();
            _ledger.AddBusyTime(Stopwatch.GetTimestamp() - start);
        }
    }

    private Task FinishAsync(ThumbnailOutcome outcome)
    {
        if (outcome.Failure is { } failure)
        {
            _ledger.OnFailed(failure);
        }
        else if (!outcome.IsCanceled)
        {
            return _files.WriteAsync(outcome.File, outcome.Thumbnail);
        }

        return Task.CompletedTask;
    }
}
