using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using TaskPool.Isolation;
using TaskPool.Samples.Imaging;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>
/// Runs one batch: reads each file asynchronously on the caller's side, moves its bytes into a pool job as an
/// <see cref="OwnedBuffer{T}"/> (no copy), lets the pool decode, resize and encode, then writes the result atomically.
/// </summary>
/// <remarks>
/// Memory is bounded by the pool's bounded queue: a file is read only once a permit is free, and there are exactly
/// <c>WorkerCount + QueueCapacity</c> permits, one per worker plus one per queue slot. A permit is returned when the file's
/// thumbnail has been written (or it failed). So at most that many input buffers and results exist at once, however many
/// files the folder holds, and the queue never has to make a submitter wait.
/// </remarks>
internal sealed class BatchRunner
{
    private readonly BatchSettings _settings;
    private readonly BatchProgress _progress;
    private readonly Lock _gate = new();
    private readonly List<BatchFailure> _failures = [];
    private readonly HashSet<string> _claimedOutputs = new(StringComparer.Ordinal);
    private long _busyTicks;
    private int _peakQueueDepth;

    public BatchRunner(BatchSettings settings, BatchProgress progress)
    {
        _settings = settings;
        _progress = progress;
    }

    /// <summary>Counts the input files: the first of two passes over the folder, so that nothing is kept per file to know the total.</summary>
    public int CountFiles()
    {
        int count = 0;
        foreach (string _ in EnumerateFiles())
        {
            count++;
        }

        return count;
    }

    public async Task<BatchSummary> RunAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        int workers = _settings.Workers;
        int queueCapacity = workers * _settings.QueueSlotsPerWorker;
        int permits = workers + queueCapacity;
        using var inFlight = new SemaphoreSlim(permits, permits);

        ThumbnailOptions options = _settings.Options;
        ImageLimits limits = _settings.Limits;
        ThumbnailEngine engine = _settings.Engine;
        WorkerPool? threadPool = null;
        ProcessPool? processPool = null;
        Func<OwnedBuffer<byte>, CancellationToken, Task<ReadOnlyMemory<byte>>> thumbnail;
        if (_settings.Isolation == BatchIsolation.Process)
        {
            ProcessPool children = processPool = new ProcessPool(ProcessWorker.CreateOptions(workers, queueCapacity, _settings.Children));
            thumbnail = (buffer, token) => InChildProcessAsync(children, buffer, options, limits, engine, token);
        }
        else
        {
            WorkerPool threads = threadPool = new WorkerPool(new WorkerPoolOptions
            {
                Name = "thumbs",
                WorkerCount = workers,
                QueueCapacity = queueCapacity,
                FullMode = QueueFullMode.Wait,
            });
            Func<OwnedBuffer<byte>, CancellationToken, ThumbnailResult> work = (buffer, token) =>
            {
                long start = Stopwatch.GetTimestamp();
                try
                {
                    return ThumbnailGenerator.Generate(buffer.Span, options, limits, engine, token);
                }
                finally
                {
                    Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - start);
                }
            };
            thumbnail = async (buffer, token) => (await threads.RunAsync(buffer, work, token).ConfigureAwait(false)).Data;
        }

        Func<int> queueDepth = processPool is not null ? () => processPool.GetStats().QueueDepth : () => threadPool!.GetStats().QueueDepth;

        try
        {
            foreach (string inputPath in EnumerateFiles())
            {
                await inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (!TryClaimOutput(inputPath, out string relative, out string outputPath))
                {
                    inFlight.Release();
                    continue;
                }

                _ = ProcessAsync(thumbnail, inputPath, relative, outputPath, inFlight, cancellationToken);
                UpdatePeakQueueDepth(queueDepth());
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        // Wait for every file in flight: take back all the permits.
        for (int i = 0; i < permits; i++)
        {
            await inFlight.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        bool canceled = cancellationToken.IsCancellationRequested;
        if (processPool is not null)
        {
            await processPool.ShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            await threadPool!.ShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        }

        stopwatch.Stop();

        int done = _progress.Done;
        double busyPercent = stopwatch.Elapsed > TimeSpan.Zero
            ? 100.0 * Interlocked.Read(ref _busyTicks) / Stopwatch.Frequency / (workers * stopwatch.Elapsed.TotalSeconds)
            : 0;
        lock (_gate)
        {
            return new BatchSummary
            {
                Files = _progress.Total,
                Succeeded = _progress.Succeeded,
                Failed = _progress.Failed,
                Skipped = _progress.Skipped,
                NotProcessed = Math.Max(0, _progress.Total - done),
                Canceled = canceled,
                Elapsed = stopwatch.Elapsed,
                Workers = workers,
                QueueCapacity = queueCapacity,
                PeakQueueDepth = Volatile.Read(ref _peakQueueDepth),
                BusyPercent = Math.Min(100, busyPercent),
                PeakRssBytes = PeakMemory.ReadPeakRssBytes(),
                Failures = [.. _failures],
            };
        }
    }

    /// <summary>Files in the input folder, lazily; hidden files (our temp files among them), the output folder and files of other shards are left out.</summary>
    private IEnumerable<string> EnumerateFiles()
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = _settings.Recursive,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint,
        };
        string outputPrefix = Path.TrimEndingDirectorySeparator(_settings.OutputDirectory) + Path.DirectorySeparatorChar;
        foreach (string path in Directory.EnumerateFiles(_settings.InputDirectory, "*", options))
        {
            if (!path.StartsWith(outputPrefix, StringComparison.Ordinal)
                && _settings.Shard.Contains(Path.GetRelativePath(_settings.InputDirectory, path).Replace(Path.DirectorySeparatorChar, '/')))
            {
                yield return path;
            }
        }
    }

    private bool TryClaimOutput(string inputPath, out string relative, out string outputPath)
    {
        relative = Path.GetRelativePath(_settings.InputDirectory, inputPath).Replace(Path.DirectorySeparatorChar, '/');
        string outputRelative = Path.ChangeExtension(_settings.Recursive ? relative : Path.GetFileName(inputPath), _settings.Options.Format.GetFileExtension());
        outputPath = Path.Combine(_settings.OutputDirectory, outputRelative);
        lock (_gate)
        {
            if (!_claimedOutputs.Add(outputPath))
            {
                RecordFailure(relative, "OutputConflict", $"Another input file already maps to the output '{outputRelative}'.");
                return false;
            }
        }

        if (!_settings.Overwrite && File.Exists(outputPath))
        {
            _progress.OnSkipped();
            return false;
        }

        return true;
    }

    /// <summary>One file, from read to rename. Never throws; always returns its permit.</summary>
    private async Task ProcessAsync(
        Func<OwnedBuffer<byte>, CancellationToken, Task<ReadOnlyMemory<byte>>> thumbnail,
        string inputPath,
        string relative,
        string outputPath,
        SemaphoreSlim inFlight,
        CancellationToken cancellationToken)
    {
        string stage = "ReadError";
        try
        {
            OwnedBuffer<byte> buffer = await ReadAsync(inputPath, cancellationToken).ConfigureAwait(false);

            // The job owns the buffer from here: the pool returns it to the ArrayPool after the job, or if the job never runs.
            ReadOnlyMemory<byte> result = await thumbnail(buffer, cancellationToken).ConfigureAwait(false);

            stage = "WriteError";

            // A finished thumbnail is written even after cancellation: it is small, and the write is atomic.
            string? directory = Path.GetDirectoryName(outputPath);
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            await AtomicFile.WriteAsync(outputPath, result, _settings.Overwrite, CancellationToken.None).ConfigureAwait(false);
            _progress.OnSucceeded();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Not processed: counted as such in the summary.
        }
        catch (ImageRejectedException ex)
        {
            RecordFailure(relative, ex.Reason.ToString(), ex.Message);
        }
        catch (WorkerProcessCrashedException ex)
        {
            string how = ex.Signal is { } signal ? $"signal {signal}" : ex.ExitCode is { } code ? $"exit code {code}" : ex.Reason;
            RecordFailure(relative, "WorkerCrashed", $"worker process crashed: {how}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            RecordFailure(relative, stage, ex.Message);
        }
#pragma warning disable CA1031 // One bad file must never stop the run: anything else is recorded against the file.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RecordFailure(relative, "Error", $"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            inFlight.Release();
        }
    }

    /// <summary>The process lane: the same pipeline in a child; a refusal in the child comes back as the same <see cref="ImageRejectedException"/>.</summary>
    private async Task<ReadOnlyMemory<byte>> InChildProcessAsync(
        ProcessPool pool,
        OwnedBuffer<byte> buffer,
        ThumbnailOptions options,
        ImageLimits limits,
        ThumbnailEngine engine,
        CancellationToken cancellationToken)
    {
        byte[] input;
        using (buffer)
        {
            input = ThumbnailJob.EncodeInput(buffer.Span, options, limits, engine);
        }

        long start = Stopwatch.GetTimestamp(); // from submission: includes the time queued for a child
        try
        {
            return await pool.RunAsync(ThumbnailJob.JobName, input, cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteJobException ex) when (ThumbnailJob.TryGetRejection(ex.RemoteType, ex.RemoteMessage, out ImageRejectedException? rejection))
        {
            throw rejection;
        }
        finally
        {
            Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - start);
        }
    }

    private async Task<OwnedBuffer<byte>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous | FileOptions.SequentialScan);
        long length = RandomAccess.GetLength(handle);
        if (length > _settings.Limits.MaxInputBytes)
        {
            // Refused before reading: a huge file never enters memory.
            throw new ImageRejectedException(
                ImageRejectionReason.TooLarge,
                FormattableString.Invariant($"The file is {length / (1024.0 * 1024.0):F1} MiB; the largest accepted is {_settings.Limits.MaxInputBytes / (1024.0 * 1024.0):F1} MiB."));
        }

        OwnedBuffer<byte> buffer = OwnedBuffer<byte>.Rent((int)length);
        try
        {
            int read = 0;
            while (read < length)
            {
                int n = await RandomAccess.ReadAsync(handle, buffer.Memory[read..], read, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new IOException("The file became shorter while it was read.");
                }

                read += n;
            }

            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private void RecordFailure(string relative, string reason, string message)
    {
        lock (_gate)
        {
            _failures.Add(new BatchFailure(relative, reason, message));
        }

        _progress.OnFailed();
    }

    private void UpdatePeakQueueDepth(int depth)
    {
        int peak = Volatile.Read(ref _peakQueueDepth);
        while (depth > peak)
        {
            int seen = Interlocked.CompareExchange(ref _peakQueueDepth, depth, peak);
            if (seen == peak)
            {
                break;
            }

            peak = seen;
        }
    }
}
