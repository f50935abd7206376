using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TaskPool.Internal;

/// <summary>
/// The pool's instruments on a <see cref="Meter"/> named <see cref="WorkerPool.MeterName"/>, every measurement tagged with the pool's name.
/// Tag pairs are built once: recording allocates nothing, and costs almost nothing when no one listens.
/// </summary>
internal sealed class PoolMetrics : IDisposable
{
    internal const string PoolNameTag = "taskpool.pool.name";
    internal const string OutcomeTag = "taskpool.job.outcome";

    private readonly Meter _meter;
    private readonly Counter<long> _jobs;
    private readonly Histogram<double> _waitDuration;
    private readonly Histogram<double> _runDuration;
    private readonly KeyValuePair<string, object?> _poolTag;
    private readonly KeyValuePair<string, object?> _completedTag = new(OutcomeTag, "completed");
    private readonly KeyValuePair<string, object?> _faultedTag = new(OutcomeTag, "faulted");
    private readonly KeyValuePair<string, object?> _canceledTag = new(OutcomeTag, "canceled");
    private readonly KeyValuePair<string, object?> _rejectedTag = new(OutcomeTag, "rejected");
    private readonly KeyValuePair<string, object?> _timedOutTag = new(OutcomeTag, "timed_out");

    internal PoolMetrics(WorkerPool pool, IMeterFactory? meterFactory)
    {
        _poolTag = new(PoolNameTag, pool.Name);
        var meterOptions = new MeterOptions(WorkerPool.MeterName) { Version = typeof(WorkerPool).Assembly.GetName().Version?.ToString() };
        _meter = meterFactory?.Create(meterOptions) ?? new Meter(meterOptions);

        KeyValuePair<string, object?>[] tags = [_poolTag];
        _meter.CreateObservableGauge("taskpool.queue.depth", () => new Measurement<int>(pool.GetStats().QueueDepth, tags), "{job}", "Jobs waiting in the pool's queue.");
        _meter.CreateObservableGauge("taskpool.workers.busy", () => new Measurement<int>(pool.GetStats().BusyWorkers, tags), "{thread}", "Workers running a job.");
        _meter.CreateObservableGauge("taskpool.workers.idle", () => new Measurement<int>(pool.GetStats().IdleWorkers, tags), "{thread}", "Workers waiting for a job.");
        _meter.CreateObservableGauge("taskpool.workers.stuck", () => new Measurement<int>(pool.GetStats().StuckWorkers, tags), "{thread}", "Workers stuck in a job that overran its deadline.");
        _meter.CreateObservableGauge("taskpool.workers.saturated.duration", () => new Measurement<double>(pool.GetStats().SaturatedFor.TotalSeconds, tags), "s", "How long every worker has been busy without a break; 0 while one is idle.");
        _meter.CreateObservableGauge("taskpool.workers.utilization", () => new Measurement<double>(pool.GetStats().Utilization, tags), "1", "Share of worker time spent serving jobs since the pool started.");
        _meter.CreateObservableGauge("taskpool.queue.keys", () => new Measurement<int>(pool.GetStats().FairnessKeys, tags), "{key}", "Fairness keys with jobs queued.");
        _jobs = _meter.CreateCounter<long>("taskpool.jobs.completed", "{job}", "Jobs that ended, by outcome: completed, faulted, canceled, timed_out or rejected.");
        _waitDuration = _meter.CreateHistogram<double>("taskpool.job.wait.duration", "s", "Time a job waited in the queue before a worker started it.");
        _runDuration = _meter.CreateHistogram<double>("taskpool.job.run.duration", "s", "Time a worker spent running a job.");
    }

    /// <summary>Whether a submit should take a timestamp for the queue-wait histogram.</summary>
    internal bool MeasuresWait => _waitDuration.Enabled;

    /// <summary>Records the queue wait; returns the start timestamp for <see cref="OnJobFinished"/>, or 0 when the run time is not measured.</summary>
    internal long OnJobStarted(long submittedTimestamp)
    {
        if (!_runDuration.Enabled && !_waitDuration.Enabled)
        {
            return 0;
        }

        long now = Stopwatch.GetTimestamp();
        if (submittedTimestamp != 0 && _waitDuration.Enabled)
        {
            _waitDuration.Record(Stopwatch.GetElapsedTime(submittedTimestamp, now).TotalSeconds, _poolTag);
        }

        return now;
    }

    internal void OnJobFinished(JobOutcome outcome, long startTimestamp)
    {
        if (startTimestamp != 0 && _runDuration.Enabled)
        {
            _runDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, _poolTag);
        }

        if (_jobs.Enabled)
        {
            _jobs.Add(1, _poolTag, outcome switch
            {
                JobOutcome.Completed => _completedTag,
                JobOutcome.Faulted => _faultedTag,
                JobOutcome.TimedOut => _timedOutTag,
                _ => _canceledTag,
            });
        }
    }

    internal void OnRejected()
    {
        if (_jobs.Enabled)
        {
            _jobs.Add(1, _poolTag, _rejectedTag);
        }
    }

    public void Dispose() => _meter.Dispose();
}
