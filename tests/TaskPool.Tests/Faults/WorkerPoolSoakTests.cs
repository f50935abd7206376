using System.Diagnostics;

namespace TaskPool.Tests.Faults;

[Collection(Memory.OwnedBufferCountsCollection.Name)] // counts OwnedBuffer rentals process-wide: runs alone
public sealed class WorkerPoolSoakTests
{
    private enum Kind
    {
        Fast,
        Slow,
        Throwing,
        CanceledBeforeSubmit,
        CanceledSoon,
        TimingOutCooperative,
        TimingOutIgnoringToken,
        OwnedBufferJob,
    }

    [Fact]
    public async Task Soak_MixedJobsFromManyProducersThenShutdown_EveryJobResolvesOnceAndCountersReconcile()
    {
        using var counts = new Memory.OwnedBufferCounts();
        const int Producers = 4;
        const int JobsPerProducer = 2500;
        string name = "soak" + Guid.NewGuid().ToString("N")[..6];
        long rented = counts.Rented, returned = counts.Returned;
        var pool = new WorkerPool(new WorkerPoolOptions { Name = name, WorkerCount = 3, QueueCapacity = 32, StuckJobGracePeriod = TimeSpan.FromSeconds(2) });
        int shutdownAfter = new Random(7).Next(JobsPerProducer * 3 / 4, JobsPerProducer);
        Task? shutdown = null;

        var perProducer = await Task.WhenAll(Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            var random = new Random(1000 + p);
            var pending = new List<(Kind Kind, Task<int> Task, CancellationTokenSource? Cts)>();
            int refused = 0;
            for (int i = 0; i < JobsPerProducer; i++)
            {
                if (p == 0 && i == shutdownAfter)
                {
                    shutdown = pool.ShutdownAsync(); // the other producers are still submitting
                }

                var kind = (Kind)random.Next(0, 8);
                CancellationTokenSource? cts = kind is Kind.CanceledBeforeSubmit or Kind.CanceledSoon ? new CancellationTokenSource() : null;
                if (kind == Kind.CanceledBeforeSubmit)
                {
                    cts!.Cancel();
                }
                else if (kind == Kind.CanceledSoon)
                {
                    cts!.CancelAfter(random.Next(0, 3));
                }

                try
                {
                    Task<int> task = kind switch
                    {
                        Kind.Fast => pool.RunAsync(i, static (x, ct) => x).AsTask(),
                        Kind.Slow => pool.RunAsync(i, static (x, ct) => Spin(x, TimeSpan.FromMicroseconds(200))).AsTask(),
                        Kind.Throwing => pool.RunAsync(i, static (x, ct) => Throws.Value<int>(new InvalidOperationException())).AsTask(),
                        Kind.CanceledBeforeSubmit or Kind.CanceledSoon => pool.RunAsync(i, static (x, ct) =>
                        {
                            ct.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(2));
                            ct.ThrowIfCancellationRequested();
                            return x;
                        }, cts!.Token).AsTask(),
                        Kind.TimingOutCooperative => pool.RunAsync(i, static (x, ct) =>
                        {
                            ct.WaitHandle.WaitOne(TestTimeouts.Hang);
                            return x;
                        }, TimeSpan.FromMilliseconds(1)).AsTask(),
                        Kind.TimingOutIgnoringToken => pool.RunAsync(i, static (x, ct) => Spin(x, TimeSpan.FromMilliseconds(2)), TimeSpan.FromMilliseconds(1)).AsTask(),
                        _ => pool.RunAsync(OwnedBuffer<byte>.Rent(4096), static (owner, ct) => owner.Length).AsTask(),
                    };
                    pending.Add((kind, task, cts));
                }
                catch (ObjectDisposedException)
                {
                    refused++; // submitted after the shutdown began: never accepted
                    cts?.Dispose();
                }

                if (pending.Count >= 64)
                {
                    await Task.WhenAny(pending.Select(x => x.Task));
                }
            }

            return (Pending: pending, Refused: refused);
        })));

        var tally = new Dictionary<string, int> { ["completed"] = 0, ["faulted"] = 0, ["canceled"] = 0, ["timedOut"] = 0, ["refused"] = 0 };
        foreach (var (pending, refused) in perProducer)
        {
            tally["refused"] += refused;
            foreach (var (kind, task, cts) in pending)
            {
                try
                {
                    await task.WaitOrFailAsync("tasks to finish"); // every accepted job resolves; none hangs
                    tally["completed"]++;
                }
                catch (ObjectDisposedException)
                {
                    tally["refused"]++; // was waiting for queue space when the shutdown began
                }
                catch (InvalidOperationException)
                {
                    tally["faulted"]++;
                }
                catch (TimeoutException)
                {
                    tally["timedOut"]++;
                }
                catch (OperationCanceledException)
                {
                    tally["canceled"]++;
                }
                finally
                {
                    cts?.Dispose();
                }
            }
        }

        Assert.NotNull(shutdown);
        await shutdown!.WaitOrFailAsync("the shutdown");
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(tally["completed"], stats.Completed);
        Assert.Equal(tally["faulted"], stats.Faulted);
        Assert.Equal(tally["canceled"], stats.Canceled);
        Assert.Equal(tally["timedOut"], stats.TimedOut);
        Assert.Equal(Producers * JobsPerProducer - tally["refused"], stats.Submitted);
        Assert.Equal(stats.Submitted, stats.Completed + stats.Faulted + stats.Canceled + stats.TimedOut);
        Assert.True(tally["refused"] > 0 && tally["timedOut"] > 0 && tally["canceled"] > 0 && tally["faulted"] > 0, string.Join(", ", tally));
        Assert.Equal(0, stats.StuckWorkers);
        Assert.Equal(counts.Rented - rented, counts.Returned - returned); // no buffer leaked, none returned twice
        Assert.True(counts.Rented - rented > 0);
        if (OperatingSystem.IsLinux())
        {
            TestTimeouts.WaitUntil(() => Core.WorkerPoolThreadTests.CountOsThreadsNamed(name) == 0, "no worker thread of the pool to remain");
        }
    }

    private static int Spin(int value, TimeSpan duration)
    {
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            Thread.SpinWait(50);
        }

        return value;
    }
}
