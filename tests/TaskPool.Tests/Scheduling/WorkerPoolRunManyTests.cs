namespace TaskPool.Tests.Scheduling;

public sealed class WorkerPoolRunManyTests
{
    [Fact]
    public async Task RunManyAsync_JobsOfUnevenLength_YieldsResultsInInputOrder()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 3 });
        var results = new List<int>();

        await foreach (int result in pool.RunManyAsync(Enumerable.Range(0, 200), static (x, ct) =>
        {
            Thread.SpinWait((200 - x) % 7 * 2_000); // later jobs often finish first
            return x * 2;
        }))
        {
            results.Add(result);
        }

        Assert.Equal(Enumerable.Range(0, 200).Select(x => x * 2), results);
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal((200L, 200L), (stats.Submitted, stats.Completed));
    }

    [Fact]
    public async Task RunManyAsync_SlowConsumer_NeverMoreThanTheWindowInFlight()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 2 });
        int started = 0, yielded = 0, maxAhead = 0;

        await foreach (int result in pool.RunManyAsync(Enumerable.Range(0, 300), (x, ct) =>
        {
            int ahead = Interlocked.Increment(ref started) - Volatile.Read(ref yielded);
            InterlockedMax(ref maxAhead, ahead);
            return x;
        }, new RunManyOptions { MaxInFlight = 8 }))
        {
            Interlocked.Increment(ref yielded);
            if (result % 50 == 0)
            {
                await Task.Delay(5); // a slow consumer: the batch must not run ahead of it by more than the window
            }
        }

        Assert.Equal(300, started);
        Assert.InRange(maxAhead, 1, 8);
    }

    [Fact]
    public async Task RunManyAsync_LazySource_EnumeratedNoFurtherThanTheWindowAhead()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 2 });
        int pulled = 0;
        IEnumerable<int> Source()
        {
            for (int i = 0; ; i++)
            {
                pulled = i + 1;
                yield return i; // an endless source: only the consumer's break ends it
            }
        }

        int consumed = 0;
        await foreach (int result in pool.RunManyAsync(Source(), static (x, ct) => x, new RunManyOptions { MaxInFlight = 4 }))
        {
            Assert.Equal(consumed++, result);
            Assert.InRange(pulled, consumed, consumed + 4);
            if (consumed == 100)
            {
                break; // the batch cleans up what it had in flight
            }
        }

        TestTimeouts.WaitUntil(() => pool.GetStats() is { QueueDepth: 0, BusyWorkers: 0 }, "the batch's jobs to be gone");
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(stats.Submitted, stats.Completed + stats.Canceled);
    }

    [Fact]
    public async Task RunManyAsync_CancelOnFirstFailure_CancelsTheRestAndThrowsTheFirstFailure()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 2, QueueCapacity = 64 });
        int ran = 0;
        var results = new List<int>();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (int result in pool.RunManyAsync(Enumerable.Range(0, 1_000), (x, ct) =>
            {
                Interlocked.Increment(ref ran);
                if (x == 10)
                {
                    throw new InvalidOperationException("job 10");
                }

                ct.WaitHandle.WaitOne(x > 10 ? 200 : 0); // later jobs would take long, unless canceled
                return x;
            }, new RunManyOptions { CancelOnFirstFailure = true, MaxInFlight = 32 }))
            {
                results.Add(result);
            }
        });

        Assert.Equal("job 10", failure.Message);
        Assert.InRange(results.Count, 0, 10); // earlier jobs still queued when job 10 failed were canceled too
        Assert.Equal(Enumerable.Range(0, results.Count), results);
        Assert.InRange(ran, 1, 42); // nothing past the window (10 consumed + 32 in flight); queued jobs were canceled without running
        TestTimeouts.WaitUntil(() => pool.GetStats() is { QueueDepth: 0, BusyWorkers: 0 }, "the batch's jobs to be gone");
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(1, stats.Faulted);
        Assert.Equal(stats.Submitted, stats.Completed + stats.Faulted + stats.Canceled);
    }

    [Fact]
    public async Task RunManyAsync_FailureWithoutCancelOnFirstFailure_EarlierResultsYieldedThenItsException()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 2 });
        var results = new List<int>();

        var failure = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (int result in pool.RunManyAsync(Enumerable.Range(0, 50), static (x, ct) => x == 20 ? throw new ArgumentException("twenty") : x))
            {
                results.Add(result);
            }
        });

        Assert.Equal("twenty", failure.Message);
        Assert.Equal(Enumerable.Range(0, 20), results);
    }

    [Fact]
    public async Task RunManyAsync_CallerCancels_ThrowsWithTheCallersTokenAndLeavesNothingRunning()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 2 });
        using var cts = new CancellationTokenSource();
        int count = 0;

        var canceled = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (int result in pool.RunManyAsync(Enumerable.Range(0, 10_000), static (x, ct) =>
            {
                ct.WaitHandle.WaitOne(1);
                return x;
            }, cancellationToken: cts.Token))
            {
                if (++count == 20)
                {
                    cts.Cancel();
                }
            }
        });

        Assert.Equal(cts.Token, canceled.CancellationToken);
        Assert.InRange(count, 20, 20 + 2 * pool.WorkerCount);
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal((0, 0), (stats.QueueDepth, stats.BusyWorkers)); // awaited before the enumeration threw
        Assert.Equal(stats.Submitted, stats.Completed + stats.Canceled);
    }

    [Fact]
    public async Task RunManyAsync_RejectModeWithATinyQueue_WaitsForSpaceInsteadOfRefusing()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 2, FullMode = QueueFullMode.Reject });
        long sum = 0;

        await foreach (int result in pool.RunManyAsync(Enumerable.Range(0, 500), static (x, ct) => x, new RunManyOptions { MaxInFlight = 16 }))
        {
            sum += result;
        }

        Assert.Equal(499L * 500 / 2, sum);
        Assert.Equal(0, pool.GetStats().Rejected);
    }

    [Fact]
    public async Task RunManyAsync_AsyncSourceAndJobOptions_RunsKeyedJobsInOrder()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 2 });
        static async IAsyncEnumerable<string> Source()
        {
            for (int i = 0; i < 40; i++)
            {
                await Task.Yield();
                yield return $"item{i}";
            }
        }

        var results = new List<string>();
        await foreach (string result in pool.RunManyAsync(Source(), static (s, ct) => s.ToUpperInvariant(), new RunManyOptions { JobOptions = new JobOptions { FairnessKey = "batch", Priority = JobPriority.Low } }))
        {
            results.Add(result);
        }

        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"ITEM{i}"), results);
    }

    [Fact]
    public async Task RunManyAsync_EmptySource_YieldsNothing()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });

        await foreach (int result in pool.RunManyAsync(Array.Empty<int>(), static (x, ct) => x))
        {
            Assert.Fail($"nothing to yield, got {result}");
        }

        Assert.Equal(0, pool.GetStats().Submitted);
    }

    [Fact]
    public async Task RunManyAsync_BadArguments_Throw()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });

        Assert.Throws<ArgumentNullException>(() => pool.RunManyAsync((IEnumerable<int>)null!, static (x, ct) => x));
        Assert.Throws<ArgumentNullException>(() => pool.RunManyAsync(new[] { 1 }, (Func<int, CancellationToken, int>)null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.RunManyAsync(new[] { 1 }, static (x, ct) => x, new RunManyOptions { MaxInFlight = 0 }));
    }

    [Fact]
    public async Task RunManyAsync_PoolShutsDownMidBatch_ThrowsObjectDisposedAndEveryAcceptedJobResolves()
    {
        var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 4 });
        int consumed = 0;

        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            await foreach (int result in pool.RunManyAsync(Enumerable.Range(0, 1_000), static (x, ct) => x, new RunManyOptions { MaxInFlight = 8 }))
            {
                if (++consumed == 30)
                {
                    _ = pool.ShutdownAsync();
                }
            }
        });

        await pool.ShutdownAsync().WaitOrFailAsync("shutdown");
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(stats.Submitted, stats.Completed + stats.Canceled);
    }

    private static void InterlockedMax(ref int location, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref location)) && Interlocked.CompareExchange(ref location, value, current) != current)
        {
        }
    }
}
