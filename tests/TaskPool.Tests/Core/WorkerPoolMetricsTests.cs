using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace TaskPool.Tests.Core;

public sealed class WorkerPoolMetricsTests
{
    [Fact]
    public async Task Meter_JobsOfEveryOutcome_PublishesTaggedCountersHistogramsAndGauges()
    {
        string poolName = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        using var recorder = new PoolMeasurements(poolName);
        await using var blocked = new BlockedPool(new WorkerPoolOptions { Name = poolName, WorkerCount = 1, QueueCapacity = 2, FullMode = QueueFullMode.Reject });
        WorkerPool pool = blocked.Pool;

        // While the only worker is blocked: two queued jobs, one rejection, one canceled before it starts.
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();
        ValueTask<int> first = pool.RunAsync(static ct => 1);
        ValueTask<int> faulting = pool.RunAsync(static ct => Throws.Value<int>(new InvalidOperationException()));
        Assert.Throws<WorkerPoolSaturatedException>(() => pool.RunAsync(static ct => 3));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pool.RunAsync(static ct => 4, canceled.Token));

        recorder.Listener.RecordObservableInstruments();
        Assert.Equal(2, recorder.Last("taskpool.queue.depth"));
        Assert.Equal(1, recorder.Last("taskpool.workers.busy"));
        Assert.Equal(0, recorder.Last("taskpool.workers.idle"));

        await blocked.DrainBlockersAsync();
        Assert.Equal(1, await first);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await faulting);

        recorder.Listener.RecordObservableInstruments();
        Assert.Equal(0, recorder.Last("taskpool.queue.depth"));
        Assert.Equal(0, recorder.Last("taskpool.workers.busy"));
        Assert.Equal(1, recorder.Last("taskpool.workers.idle"));
        Assert.Equal(2, recorder.Outcomes("completed")); // the blocker and the first job
        Assert.Equal(1, recorder.Outcomes("faulted"));
        Assert.Equal(1, recorder.Outcomes("canceled"));
        Assert.Equal(1, recorder.Outcomes("rejected"));
        Assert.Equal(3, recorder.Count("taskpool.job.run.duration")); // one per job that ran
        Assert.Equal(3, recorder.Count("taskpool.job.wait.duration"));
        Assert.All(recorder.Values("taskpool.job.run.duration"), v => Assert.True(v >= 0));
    }

    /// <summary>Listens to the TaskPool meter and keeps only the measurements of one pool, by its name tag.</summary>
    private sealed class PoolMeasurements : IDisposable
    {
        private readonly string _poolName;
        private readonly ConcurrentQueue<(string Instrument, double Value, string? Outcome)> _measurements = new();

        public PoolMeasurements(string poolName)
        {
            _poolName = poolName;
            Listener = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter.Name == WorkerPool.MeterName)
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            Listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
            Listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
            Listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
            Listener.Start();
        }

        public MeterListener Listener { get; }

        public double Last(string instrument) => _measurements.Where(m => m.Instrument == instrument).Select(m => m.Value).Last();

        public int Count(string instrument) => _measurements.Count(m => m.Instrument == instrument);

        public IEnumerable<double> Values(string instrument) => _measurements.Where(m => m.Instrument == instrument).Select(m => m.Value);

        public double Outcomes(string outcome) => _measurements.Where(m => m.Instrument == "taskpool.jobs.completed" && m.Outcome == outcome).Sum(m => m.Value);

        public void Dispose() => Listener.Dispose();

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? pool = null, outcome = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "taskpool.pool.name")
                {
                    pool = tag.Value as string;
                }
                else if (tag.Key == "taskpool.job.outcome")
                {
                    outcome = tag.Value as string;
                }
            }

            if (pool == _poolName)
            {
                _measurements.Enqueue((instrument.Name, value, outcome));
            }
        }
    }
}
