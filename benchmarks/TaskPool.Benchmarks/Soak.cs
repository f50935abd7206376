using System.Diagnostics;
using System.Globalization;

namespace TaskPool.Benchmarks;

/// <summary>
/// The long soak (minutes, millions of jobs): producers submit a mix of fast, slow, throwing, canceled, timing-out and
/// token-ignoring jobs and OwnedBuffer moves; a sampler checks the stats invariants in every snapshot; at the end a graceful
/// shutdown must leave every job resolved exactly once and the counters reconciled. Exit code 0 when all checks hold.
/// </summary>
public static class Soak
{
    public static async Task<int> RunAsync(TimeSpan duration, TextWriter output)
    {
        int producers = Math.Max(2, Environment.ProcessorCount);
        var pool = new WorkerPool(new WorkerPoolOptions { Name = "soak", QueueCapacity = 256, StuckJobGracePeriod = TimeSpan.FromSeconds(1) });
        var stop = Stopwatch.StartNew();
        string? violation = null;
        long snapshots = 0;
        using var sampling = new CancellationTokenSource();
        Task sampler = Task.Factory.StartNew(() =>
        {
            while (!sampling.IsCancellationRequested)
            {
                WorkerPoolStats s = pool.GetStats();
                snapshots++;
                if (s.BusyWorkers + s.IdleWorkers != s.WorkerCount || s.QueueDepth < 0 || s.QueueDepth > s.QueueCapacity ||
                    s.Submitted < s.Completed + s.Faulted + s.Canceled + s.TimedOut)
                {
                    violation ??= s.ToString();
                }
            }
        }, TaskCreationOptions.LongRunning);

        var outcomes = new long[5]; // completed, faulted, canceled, timed out, unexpected
        long submitted = 0;
        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            var random = new Random(p);
            var window = new Task<int>[128];
            while (stop.Elapsed < duration)
            {
                for (int k = 0; k < window.Length; k++)
                {
                    window[k] = Submit(pool, random);
                }

                Interlocked.Add(ref submitted, window.Length);
                foreach (Task<int> task in window)
                {
                    int slot = await Classify(task);
                    Interlocked.Increment(ref outcomes[slot]);
                }
            }
        })));

        await pool.ShutdownAsync();
        sampling.Cancel();
        await sampler;
        WorkerPoolStats stats = pool.GetStats();
        bool reconciled = stats.Submitted == submitted
            && stats.Completed == outcomes[0] && stats.Faulted == outcomes[1] && stats.Canceled == outcomes[2] && stats.TimedOut == outcomes[3]
            && outcomes[4] == 0 && violation is null && stats.StuckWorkers == 0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"soak: {stop.Elapsed.TotalMinutes:F1} min, {producers} producers, {pool.WorkerCount} workers, {submitted:N0} jobs ({submitted / stop.Elapsed.TotalSeconds:N0}/s), {snapshots:N0} stats snapshots"));
        output.WriteLine(stats);
        output.WriteLine(reconciled ? "soak: PASS: every job resolved once, counters reconcile, invariants held in every snapshot" : $"soak: FAIL: outcomes {string.Join('/', outcomes)}, violation {violation}");
        return reconciled ? 0 : 1;
    }

    private static Task<int> Submit(WorkerPool pool, Random random)
    {
        switch (random.Next(8))
        {
            case 0:
                return pool.RunAsync(static ct => CpuWork.Spin(4_000) == 0 ? 1 : 0).AsTask();
            case 1:
                return pool.RunAsync(static ct => ThrowFault()).AsTask();
            case 2:
                var canceled = new CancellationTokenSource();
                canceled.CancelAfter(random.Next(0, 2));
                return DisposeAfter(pool.RunAsync(canceled.Token, static (own, ct) =>
                {
                    ct.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(1));
                    ct.ThrowIfCancellationRequested();
                    return 0;
                }, canceled.Token).AsTask(), canceled);
            case 3:
                return pool.RunAsync(0, static (x, ct) => ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(5)) ? x : x, TimeSpan.FromMilliseconds(1)).AsTask();
            case 4:
                return pool.RunAsync(0, static (x, ct) => (int)CpuWork.Spin(400_000) & 0, TimeSpan.FromMilliseconds(1)).AsTask();
            case 5:
                return pool.RunAsync(OwnedBuffer<byte>.Rent(64 * 1024), static (owner, ct) => owner.Length).AsTask();
            default:
                return pool.RunAsync(0, static (x, ct) => x).AsTask();
        }
    }

    private static int ThrowFault() => throw new InvalidOperationException("soak fault");

    private static async Task<int> DisposeAfter(Task<int> task, IDisposable disposable)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        finally
        {
            disposable.Dispose();
        }
    }

    private static async Task<int> Classify(Task<int> task)
    {
        try
        {
            await task.ConfigureAwait(false);
            return 0;
        }
        catch (InvalidOperationException)
        {
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 2;
        }
        catch (TimeoutException)
        {
            return 3;
        }
#pragma warning disable CA1031 // anything else is a soak failure, counted and reported
        catch (Exception)
        {
            return 4;
        }
#pragma warning restore CA1031
    }
}
