namespace TaskPool.Tests.Core;

public sealed class WorkerPoolStatsTests
{
    [Fact]
    public async Task GetStats_MillionJobsFromManyProducers_InvariantsHoldInEverySnapshotAndCountersReconcile()
    {
        const int Producers = 4;
        const int JobsPerProducer = 250_000;
        const int InFlightPerProducer = 125; // divides JobsPerProducer
        await using var pool = new WorkerPool(new WorkerPoolOptions { Name = "stress", WorkerCount = 2, QueueCapacity = 256 });
        using var stop = new CancellationTokenSource();
        long snapshots = 0;
        string? violation = null;

        Task sampler = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                WorkerPoolStats s = pool.GetStats();
                snapshots++;
                if (s.BusyWorkers + s.IdleWorkers != s.WorkerCount || s.BusyWorkers is < 0 or > 2 ||
                    s.QueueDepth < 0 || s.QueueDepth > s.QueueCapacity ||
                    s.Submitted < s.Completed + s.Faulted + s.Canceled)
                {
                    violation ??= s.ToString();
                }
            }
        }, TaskCreationOptions.LongRunning);

        var expectedFaults = new long[Producers];
        var expectedCanceled = new long[Producers];
        await Task.WhenAll(Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            using var canceled = new CancellationTokenSource();
            canceled.Cancel();
            var window = new ValueTask<int>[InFlightPerProducer];
            for (int start = 0; start < JobsPerProducer; start += InFlightPerProducer)
            {
                for (int k = 0; k < InFlightPerProducer; k++)
                {
                    int i = start + k;
                    window[k] = (i % 97) switch
                    {
                        0 => pool.RunAsync(i, static (x, ct) => x > -1 ? throw new InvalidOperationException() : x),
                        1 => pool.RunAsync(i, static (x, ct) => x, canceled.Token),
                        _ => pool.RunAsync(i, static (x, ct) => x),
                    };
                }

                for (int k = 0; k < InFlightPerProducer; k++)
                {
                    try
                    {
                        Assert.Equal(start + k, await window[k]);
                    }
                    catch (InvalidOperationException)
                    {
                        expectedFaults[p]++;
                    }
                    catch (OperationCanceledException)
                    {
                        expectedCanceled[p]++;
                    }
                }
            }
        })));

        stop.Cancel();
        await sampler;

        Assert.Null(violation);
        Assert.True(snapshots > 0);
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(Producers * (long)JobsPerProducer, stats.Submitted);
        Assert.Equal(stats.Submitted, stats.Completed + stats.Faulted + stats.Canceled);
        Assert.Equal(expectedFaults.Sum(), stats.Faulted);
        Assert.Equal(expectedCanceled.Sum(), stats.Canceled);
        Assert.Equal(0, stats.Rejected);
        Assert.Equal(0, stats.BusyWorkers);
        Assert.Equal(0, stats.QueueDepth);
    }

    [Fact]
    public async Task GetStats_WorkersBlocked_ReportsBusyAndQueueDepth()
    {
        await using var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 2, QueueCapacity = 10 });
        WorkerPool pool = blocked.Pool;
        var queued = Enumerable.Range(0, 3).Select(i => pool.RunAsync(i, static (x, ct) => x)).ToArray();

        WorkerPoolStats stats = pool.GetStats();

        Assert.Equal(new WorkerPoolStats(2, 2, 0, 3, 10, 5, 0, 0, 0, 0), stats with { Utilization = 0, SaturatedFor = TimeSpan.Zero });
        Assert.True(stats.SaturatedFor > TimeSpan.Zero, "both workers are busy: the pool is saturated");
        Assert.InRange(stats.Utilization, double.Epsilon, 1);
        await blocked.DrainBlockersAsync();
        foreach (ValueTask<int> job in queued)
        {
            await job;
        }

        TestTimeouts.WaitUntil(() => pool.GetStats().IdleWorkers == 2 && pool.GetStats().SaturatedFor == TimeSpan.Zero, "both workers to go idle");
        WorkerPoolStats rest = pool.GetStats();
        Assert.Equal(new WorkerPoolStats(2, 0, 2, 0, 10, 5, 5, 0, 0, 0), rest with { Utilization = 0 });
        Assert.InRange(rest.Utilization, double.Epsilon, 1);
    }

    [Fact]
    public async Task Worker_IdleAfterWork_ParksInsteadOfSpinningAndWakesForTheNextJob()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 2 });
        await pool.RunAsync(static ct => 1);

        // Both workers run out of work, spin for at most SpinBeforeParking, then block: an idle pool burns no CPU.
        TestTimeouts.WaitUntil(() => pool.ParkedWorkers == 2, "both workers to park");

        Assert.Equal(5, await pool.RunAsync(static ct => 5).AsTask().WaitOrFailAsync("tasks to finish"));
    }
}
