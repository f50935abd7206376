using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace TaskPool.Isolation.Tests;

/// <summary>Behaviour 8: the same contract as WorkerPool for backpressure, shutdown, stats, metrics and options.</summary>
[Collection(IsolationCollection.Name)]
public sealed class ProcessPoolContractTests
{
    [Fact]
    public async Task RunAsync_RejectModeQueueFull_ThrowsSaturatedAtOnce()
    {
        ProcessPoolOptions options = TestWorker.Options();
        options.QueueCapacity = 1;
        options.FullMode = QueueFullMode.Reject;
        var pool = new ProcessPool(options);
        ValueTask<byte[]> running = pool.RunAsync("hold", default);
        TestTimeouts.WaitUntil(() => pool.GetStats().BusyProcesses == 1, "the first job to start");
        ValueTask<byte[]> queued = pool.RunAsync("hold", default);

        var exception = Assert.Throws<WorkerPoolSaturatedException>(() => pool.RunAsync("echo", default));

        Assert.Equal(options.Name, exception.PoolName);
        Assert.Equal(1, exception.QueueCapacity);
        ProcessPoolStats stats = pool.GetStats();
        Assert.Equal(1, stats.Rejected);
        Assert.Equal(2, stats.Submitted);
        Assert.Equal(1, stats.QueueDepth);
        await pool.ShutdownAsync(new CancellationToken(canceled: true)).WaitAsync(TestTimeouts.Hang);
        await TestTimeouts.ThrowsWithinAsync<OperationCanceledException>(running, "the running job");
        await TestTimeouts.ThrowsWithinAsync<OperationCanceledException>(queued, "the queued job");
    }

    [Fact]
    public async Task RunAsync_WaitModeQueueFull_AwaitsSpaceThenRuns()
    {
        ProcessPoolOptions options = TestWorker.Options();
        options.QueueCapacity = 1;
        var pool = new ProcessPool(options);
        await using PoolScope scope = TestWorker.Own(pool);
        using var release = new CancellationTokenSource();
        ValueTask<byte[]> running = pool.RunAsync("cooperative", default, release.Token);
        TestTimeouts.WaitUntil(() => pool.GetStats().BusyProcesses == 1, "the first job to start");
        ValueTask<byte[]> queued = pool.RunAsync("echo", new byte[] { 1 });

        ValueTask<byte[]> waiting = pool.RunAsync("echo", new byte[] { 2 });

        Assert.False(waiting.IsCompleted);
        Assert.Equal(2, pool.GetStats().Submitted); // the waiting job is not accepted yet
        release.Cancel();
        await TestTimeouts.ThrowsWithinAsync<OperationCanceledException>(running, "the first job");
        Assert.Equal([1], await queued.WaitOrFailAsync("the queued job"));
        Assert.Equal([2], await waiting.WaitOrFailAsync("the job that waited for space"));
        Assert.Equal(0, pool.GetStats().Rejected);
    }

    [Fact]
    public async Task RunAsync_AfterShutdownBegan_ThrowsObjectDisposed()
    {
        var pool = new ProcessPool(TestWorker.Options());
        Task shutdown = pool.ShutdownAsync();

        Assert.Throws<ObjectDisposedException>(() => pool.RunAsync("echo", default));
        await shutdown.WaitAsync(TestTimeouts.Hang);
        Assert.Throws<ObjectDisposedException>(() => pool.RunAsync("echo", default));
        await pool.ShutdownAsync().WaitAsync(TestTimeouts.Hang); // idempotent
        pool.Dispose();
    }

    [Fact]
    public async Task GetStats_EveryOutcomeAtRest_CountersAddUp()
    {
        ProcessPoolOptions options = TestWorker.Options(processCount: 2);
        options.JobTimeout = TimeSpan.FromSeconds(1);
        var pool = new ProcessPool(options);
        await using PoolScope scope = TestWorker.Own(pool);
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();

        Task[] jobs =
        [
            pool.RunAsync("echo", new byte[] { 1 }).AsTask(),
            pool.RunAsync("throw", default).AsTask(),
            pool.RunAsync("exit3", default).AsTask(),
            pool.RunAsync("hang", default).AsTask(),
            pool.RunAsync("echo", default, canceled.Token).AsTask(),
            pool.RunAsync("pid", default).AsTask(),
        ];
        await Task.WhenAny(Task.WhenAll(jobs), Task.Delay(TestTimeouts.Hang));
        Assert.All(jobs, job => Assert.True(job.IsCompleted));

        ProcessPoolStats stats = pool.GetStats();
        Assert.Equal(6, stats.Submitted);
        Assert.True(stats.Completed == 2, string.Join(" | ", jobs.Select(j => j.Exception?.InnerException?.Message ?? j.Status.ToString())));
        Assert.Equal(1, stats.Faulted);
        Assert.Equal(1, stats.Crashed);
        Assert.Equal(1, stats.TimedOut);
        Assert.Equal(1, stats.Canceled);
        Assert.Equal(stats.Submitted, stats.Completed + stats.Faulted + stats.Canceled + stats.TimedOut + stats.Crashed);
        Assert.Equal(stats.ProcessCount, stats.BusyProcesses + stats.IdleProcesses);
        Assert.Equal(0, stats.QueueDepth);
        TestTimeouts.WaitUntil(() => pool.GetStats().Restarts == 2, "the crashed and the timed-out children to be replaced (asynchronously)");
    }

    [Fact]
    public async Task Meter_JobsOfSeveralOutcomes_SameMeterTaggedWithTheProcessLane()
    {
        ProcessPoolOptions options = TestWorker.Options();
        var measurements = new ConcurrentQueue<(string Instrument, long Value, string? Outcome, string? Lane)>();
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
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) =>
        {
            string? pool = null, outcome = null, lane = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                switch (tag.Key)
                {
                    case "taskpool.pool.name": pool = tag.Value as string; break;
                    case "taskpool.job.outcome": outcome = tag.Value as string; break;
                    case "taskpool.lane": lane = tag.Value as string; break;
                }
            }

            if (pool == options.Name)
            {
                measurements.Enqueue((instrument.Name, value, outcome, lane));
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, state) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "taskpool.pool.name" && tag.Value as string == options.Name)
                {
                    measurements.Enqueue((instrument.Name, value, null, "process"));
                }
            }
        });
        listener.Start();
        var pool = new ProcessPool(options);
        await using PoolScope scope = TestWorker.Own(pool);

        await pool.RunAsync("echo", new byte[] { 1 }).WaitOrFailAsync("the echo");
        await TestTimeouts.ThrowsWithinAsync<RemoteJobException>(pool.RunAsync("throw", default), "the throw");
        await TestTimeouts.ThrowsWithinAsync<WorkerProcessCrashedException>(pool.RunAsync("exit3", default), "the crash");
        await pool.RunAsync("echo", new byte[] { 1 }).WaitOrFailAsync("the echo after the crash");
        listener.RecordObservableInstruments();

        (string Instrument, long Value, string? Outcome, string? Lane)[] jobs = [.. measurements.Where(m => m.Instrument == "taskpool.jobs.completed")];
        Assert.All(jobs, m => Assert.Equal("process", m.Lane));
        Assert.Equal(2, jobs.Count(m => m.Outcome == "completed"));
        Assert.Equal(1, jobs.Count(m => m.Outcome == "faulted"));
        Assert.Equal(1, jobs.Count(m => m.Outcome == "crashed"));
        Assert.Single(measurements, m => m.Instrument == "taskpool.process.restarts" && m.Lane == "process");
        Assert.Contains(measurements, m => m.Instrument == "taskpool.workers.idle" && m.Value == 1);
    }
}
