namespace TaskPool.Interleavings.Tests;

/// <summary>
/// More workers and producers than cores, with random yields, spins and sleeps at every schedule point: bursts of jobs separated by
/// idle gaps (the pattern that lost a job at 16 cores), some canceled by their callers while queued or running, some throwing.
/// Every accepted job must complete exactly once with its own outcome, and the pool must come back to rest with its counters balanced.
/// </summary>
public sealed class ChaosStressTests
{
    private static readonly TimeSpan s_burstBound = TimeSpan.FromSeconds(10);

    public static TheoryData<int, int, int, int> Settings => new()
    {
        // workers, spin (µs), producers, seed. One producer: nothing else submits while a burst waits, so a lost wake-up cannot be
        // healed by someone else's job (the shape that stalled at 16 cores). Several producers: the hand-shakes race each other.
        { 3, 0, 1, 1 },
        { 3, 50, 1, 2 },
        { 6, 0, 1, 3 },
        { 6, 50, 4, 4 },
        { 3, 0, 4, 5 },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task RunAsync_BurstsWithChaosAtEveryPoint_EveryJobCompletesOnce(int workers, int spinMicroseconds, int producers, int seed)
    {
        int RoundsPerProducer = 1200 / producers;
        int Producers = producers;
        using var chaos = new Chaos(seed);
        await using var pool = ParkingInterleavingTests.NewPool($"chaos{seed}", workers, spinMicroseconds);
        var runs = new int[Producers * RoundsPerProducer * 8];

        await Task.WhenAll(Enumerable.Range(0, Producers).Select(producer => Task.Run(async () =>
        {
            var random = new Random(seed * 100 + producer);
            for (int round = 0; round < RoundsPerProducer; round++)
            {
                int burst = random.Next(1, 8);
                var jobs = new (Task<int> Task, int Id, int Kind, CancellationTokenSource? Cancel)[burst];
                for (int i = 0; i < burst; i++)
                {
                    int id = ((producer * RoundsPerProducer) + round) * 8 + i;
                    int kind = random.Next(12); // 0: the caller cancels it; 1: it throws; 2: it may overrun a 1 ms deadline; otherwise it returns its id
                    CancellationTokenSource? cancel = kind == 0 ? new CancellationTokenSource() : null;
                    var state = (Runs: runs, Id: id, Throws: kind == 1, SpinMicroseconds: kind == 2 ? random.Next(0, 2_000) : 0);
                    Func<(int[] Runs, int Id, bool Throws, int SpinMicroseconds), CancellationToken, int> work = static (s, ct) =>
                    {
                        Interlocked.Increment(ref s.Runs[s.Id]);
                        var spin = System.Diagnostics.Stopwatch.StartNew();
                        while (spin.Elapsed.TotalMicroseconds < s.SpinMicroseconds && !ct.IsCancellationRequested)
                        {
                            Thread.SpinWait(20);
                        }

                        return s.Throws ? throw new InvalidOperationException(s.Id.ToString()) : s.Id;
                    };
                    ValueTask<int> submitted = kind == 2
                        ? pool.RunAsync(state, work, TimeSpan.FromMilliseconds(1))
                        : pool.RunAsync(state, work, cancel?.Token ?? default);
                    jobs[i] = (submitted.AsTask(), id, kind, cancel);
                    if (cancel is not null && random.Next(2) == 0)
                    {
                        cancel.Cancel();
                    }
                }

                foreach (var job in jobs)
                {
                    job.Cancel?.Cancel();
                }

                Task all = Task.WhenAll(jobs.Select(j => j.Task));
                Assert.True(await Task.WhenAny(all, Task.Delay(s_burstBound)) == all, $"a burst of {burst} completes (producer {producer}, round {round}); stats {pool.GetStats()}");
                foreach (var job in jobs)
                {
                    switch (job.Kind)
                    {
                        case 0:
                            Assert.True(job.Task.IsCanceled || (job.Task.IsCompletedSuccessfully && job.Task.Result == job.Id), "a canceled job is canceled, or it had finished");
                            break;
                        case 1:
                            Assert.Equal(job.Id.ToString(), Assert.IsType<InvalidOperationException>(job.Task.Exception!.InnerException).Message);
                            break;
                        case 2:
                            Assert.True(job.Task.IsCompletedSuccessfully ? job.Task.Result == job.Id : job.Task.Exception!.InnerException is WorkerPoolJobTimeoutException, "a job with a deadline returns its value or times out");
                            break;
                        default:
                            Assert.Equal(job.Id, job.Task.Result);
                            break;
                    }

                    job.Cancel?.Dispose();
                }

                if (random.Next(4) == 0)
                {
                    await Task.Delay(random.Next(0, 3)); // an idle gap: workers spin out and park
                }
            }
        })));

        Assert.All(runs, count => Assert.InRange(count, 0, 1)); // no job ran twice
        ParkingInterleavingTests.AssertAtRest(pool);
        Assert.True(chaos.Delayed > 1000, $"the chaos delayed threads at schedule points ({chaos.Delayed} of {chaos.Reached})");
    }

    /// <summary>
    /// Producers keep submitting while the pool shuts down, gracefully or by force, with chaos at every point: each submission either
    /// throws <see cref="ObjectDisposedException"/> at once or is accepted, and every accepted job completes (value or cancellation).
    /// </summary>
    [Theory]
    [InlineData(false, 11)]
    [InlineData(true, 12)]
    public async Task ShutdownAsync_WhileProducersSubmitWithChaos_EveryAcceptedJobCompletes(bool force, int seed)
    {
        using var chaos = new Chaos(seed);
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var pool = ParkingInterleavingTests.NewPool($"closing{seed}", workers: 3, spinMicroseconds: attempt % 2 * 50);
            var accepted = new System.Collections.Concurrent.ConcurrentBag<Task<int>>();
            using var stop = new CancellationTokenSource();
            Task[] producers = Enumerable.Range(0, 3).Select(p => Task.Run(() =>
            {
                for (int i = 0; !stop.IsCancellationRequested && i < 2_000; i++)
                {
                    try
                    {
                        accepted.Add(pool.RunAsync(i, static (x, ct) => x).AsTask());
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                }
            })).ToArray();

            await Task.Delay(attempt % 3);
            using var forced = new CancellationTokenSource();
            if (force)
            {
                forced.Cancel();
            }

            Task shutdown = pool.ShutdownAsync(forced.Token);
            Assert.True(await Task.WhenAny(shutdown, Task.Delay(s_burstBound)) == shutdown, "the shutdown completes");
            stop.Cancel();
            await Task.WhenAll(producers);

            // A submission still waiting for queue space when the shutdown began is refused (ObjectDisposedException): never accepted.
            Task all = Task.WhenAll(accepted);
            Assert.True(await Task.WhenAny(all, Task.Delay(s_burstBound)) == all || all.IsCompleted, "every submission resolves");
            Task<int>[] acceptedJobs = accepted.Where(job => job.Exception?.InnerException is not ObjectDisposedException).ToArray();
            Assert.All(acceptedJobs, job => Assert.True(job.IsCompletedSuccessfully || (force && job.IsCanceled), $"{job.Status}: {job.Exception}"));
            WorkerPoolStats stats = pool.GetStats();
            Assert.Equal(stats.Submitted, stats.Completed + stats.Faulted + stats.Canceled + stats.TimedOut);
            Assert.Equal(acceptedJobs.Length, stats.Submitted);
        }
    }

    /// <summary>
    /// Prioritized and keyed jobs through a small queue with a per-key limit (so producers wait for space and for their key), with
    /// cancellations, under chaos: every job completes once, and the ordered lane, the shards and the waiters come back to rest.
    /// </summary>
    [Theory]
    [InlineData(2, 21)]
    [InlineData(5, 22)]
    public async Task RunAsync_PrioritizedAndKeyedJobsWithChaos_EveryJobCompletesOnce(int workers, int seed)
    {
        using var chaos = new Chaos(seed);
        await using var pool = new WorkerPool(new WorkerPoolOptions
        {
            Name = $"ordered{seed}",
            WorkerCount = workers,
            QueueCapacity = 8,
            MaxQueuedPerKey = 3,
            PriorityAging = TimeSpan.FromMilliseconds(5),
            SpinBeforeParking = TimeSpan.FromMicroseconds(seed % 2 * 50),
        });
        string?[] keys = [null, "a", "b", "c"];
        JobPriority[] priorities = [JobPriority.Low, JobPriority.Normal, JobPriority.High];
        var runs = new int[4 * 300 * 8];

        await Task.WhenAll(Enumerable.Range(0, 4).Select(producer => Task.Run(async () =>
        {
            var random = new Random(seed * 100 + producer);
            for (int round = 0; round < 300; round++)
            {
                int burst = random.Next(1, 8);
                var jobs = new (Task<int> Task, int Id, CancellationTokenSource? Cancel)[burst];
                for (int i = 0; i < burst; i++)
                {
                    int id = ((producer * 300) + round) * 8 + i;
                    CancellationTokenSource? cancel = random.Next(8) == 0 ? new CancellationTokenSource() : null;
                    var options = new JobOptions { Priority = priorities[random.Next(3)], FairnessKey = keys[random.Next(4)] };
                    jobs[i] = (pool.RunAsync((Runs: runs, Id: id), static (s, ct) =>
                    {
                        Interlocked.Increment(ref s.Runs[s.Id]);
                        return s.Id;
                    }, options, cancel?.Token ?? default).AsTask(), id, cancel);
                }

                foreach (var job in jobs)
                {
                    job.Cancel?.Cancel();
                }

                Task all = Task.WhenAll(jobs.Select(j => j.Task));
                Assert.True(await Task.WhenAny(all, Task.Delay(s_burstBound)) == all || all.IsCompleted, $"a burst completes; stats {pool.GetStats()}");
                foreach (var job in jobs)
                {
                    Assert.True(job.Task.IsCompletedSuccessfully ? job.Task.Result == job.Id : job.Cancel is not null && job.Task.IsCanceled, $"{job.Task.Status}");
                    job.Cancel?.Dispose();
                }
            }
        })));

        Assert.All(runs, count => Assert.InRange(count, 0, 1));
        ParkingInterleavingTests.AssertAtRest(pool);
        Assert.Equal(0, pool.GetStats().FairnessKeys);
    }

    /// <summary>Batches (some canceling on their first failure, some broken off by their consumer) race each other under chaos.</summary>
    [Fact]
    public async Task RunManyAsync_ConcurrentBatchesWithChaos_EveryBatchEndsAndThePoolComesToRest()
    {
        using var chaos = new Chaos(31);
        await using var pool = new WorkerPool(new WorkerPoolOptions { Name = "batches", WorkerCount = 3, QueueCapacity = 16 });
        await Task.WhenAll(Enumerable.Range(0, 4).Select(producer => Task.Run(async () =>
        {
            var random = new Random(producer);
            for (int batch = 0; batch < 15; batch++)
            {
                int failAt = random.Next(2) == 0 ? random.Next(0, 200) : -1;
                int stopAt = random.Next(3) == 0 ? random.Next(0, 200) : int.MaxValue;
                var options = new RunManyOptions { MaxInFlight = random.Next(1, 20), CancelOnFirstFailure = random.Next(2) == 0 };
                int expected = 0;
                try
                {
                    await foreach (int result in pool.RunManyAsync(Enumerable.Range(0, 200), (x, ct) => x == failAt ? throw new InvalidOperationException() : x, options))
                    {
                        Assert.Equal(expected++, result);
                        if (expected == stopAt)
                        {
                            break;
                        }
                    }
                }
                catch (InvalidOperationException) when (failAt >= 0)
                {
                }
                catch (OperationCanceledException) when (failAt >= 0 && options.CancelOnFirstFailure)
                {
                }
            }
        }))).WaitAsync(TimeSpan.FromSeconds(60));

        ParkingInterleavingTests.AssertAtRest(pool);
    }
}
