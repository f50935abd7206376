using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace TaskPool.Tests.Faults;

public sealed class WorkerPoolFaultIsolationTests
{
    [Fact]
    public async Task RunAsync_JobThrowsOutOfMemory_OnlyItsCallerFaultsAndTheWorkerServesOn()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });

        // 2^31 decimals are 32 GiB, twice the GC heap limit this test project runs under (its csproj), so the allocation fails on any machine.
        Assert.Equal(16L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        await Assert.ThrowsAsync<OutOfMemoryException>(async () => await pool.RunAsync(static ct => new decimal[Array.MaxLength].Length));

        Assert.Equal(4, await pool.RunAsync(static ct => 4));
    }

    [Fact]
    public async Task RunAsync_JobsTokenCallbackThrowsWhenCallerCancels_CallerIsResolvedAndTheWorkerServesOn()
    {
        var logs = new ListLoggerFactory();
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1, LoggerFactory = logs });
        using var cts = new CancellationTokenSource();
        using var registered = new ManualResetEventSlim();

        Task<int> job = pool.RunAsync(registered, static (r, ct) =>
        {
            _ = ct.Register(static () => throw new InvalidOperationException("callback")); // kept registered: Cancel signals the wait handle before it runs callbacks
            r.Set();
            ct.WaitHandle.WaitOne(TestTimeouts.Hang);
            return 1;
        }, cts.Token).AsTask();
        registered.WaitOrFail("the job to register its callback");

        cts.Cancel(); // does not throw: the pool swallows and logs what the job's callback threw

        Assert.Equal(1, await job.WaitOrFailAsync("tasks to finish"));
        Assert.Equal(2, await pool.RunAsync(static ct => 2));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Exception is AggregateException);
    }

    [Fact]
    public async Task RunAsync_JobsTokenCallbackThrowsAtTheTimeout_WatchdogSurvivesAndTimesOutTheNextOne()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1, JobTimeout = TimeSpan.FromMilliseconds(20) });
        for (int i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<WorkerPoolJobTimeoutException>(() => pool.RunAsync(static ct =>
            {
                _ = ct.Register(static () => throw new InvalidOperationException("callback")); // kept registered: Cancel signals the wait handle before it runs callbacks
                ct.WaitHandle.WaitOne(TestTimeouts.Hang);
                return 0;
            }).AsTask().WaitOrFailAsync("a timeout"));
        }

        TestTimeouts.WaitUntil(() => pool.GetStats().BusyWorkers == 0, "the worker to finish");
        Assert.Equal(2, pool.GetStats().TimedOut);
    }

    [Fact]
    public async Task RunAsync_MetricsListenerThrows_JobsStillCompleteAndTheWorkerSurvives()
    {
        string poolName = "badlistener-" + Guid.NewGuid().ToString("N")[..6];
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == WorkerPool.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Value as string == poolName)
                {
                    throw new InvalidOperationException("listener");
                }
            }
        });
        listener.Start();
        await using var pool = new WorkerPool(new WorkerPoolOptions { Name = poolName, WorkerCount = 1 });

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(i, await pool.RunAsync(i, static (x, ct) => x).AsTask().WaitOrFailAsync("tasks to finish"));
        }
    }

    [Fact]
    public async Task Logging_FaultsAtDebugSaturationAtWarning_NothingForSuccessfulJobs()
    {
        var logs = new ListLoggerFactory();
        await using var pool = new WorkerPool(new WorkerPoolOptions { Name = "logged", WorkerCount = 1, QueueCapacity = 1, FullMode = QueueFullMode.Reject, LoggerFactory = logs });
        for (int i = 0; i < 50; i++)
        {
            await pool.RunAsync(static ct => 1);
        }

        Assert.Empty(logs.Entries);

        await Assert.ThrowsAsync<FormatException>(async () => await pool.RunAsync(static ct => Throws.Value<int>(new FormatException())));
        using var gate = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        ValueTask<int> blocker = pool.RunAsync((gate, started), static (s, ct) =>
        {
            s.started.Set();
            s.gate.Wait(TestTimeouts.Hang);
            return 0;
        });
        started.WaitOrFail("the blocker");
        ValueTask<int> queued = pool.RunAsync(static ct => 0);
        Assert.Throws<WorkerPoolSaturatedException>(() => pool.RunAsync(static ct => 0));
        gate.Set();
        await blocker;
        await queued;

        var entries = logs.Entries.ToArray();
        Assert.Contains(entries, e => e.Level == LogLevel.Debug && e.Exception is FormatException && e.Message.Contains("logged", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Level == LogLevel.Warning && e.Message.Contains("saturated", StringComparison.Ordinal) && e.Message.Contains("logged", StringComparison.Ordinal));
        Assert.Equal(2, entries.Length);
    }
}
