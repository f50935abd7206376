using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TaskPool.Isolation.Internal;

/// <summary>
/// The process pool's instruments on the <see cref="WorkerPool.MeterName"/> meter, with the same names as <see cref="WorkerPool"/>'s,
/// every measurement tagged with the pool's name and <c>taskpool.lane = "process"</c>; plus <c>taskpool.process.restarts</c>.
/// </summary>
internal sealed class IsolationMetrics : IDisposable
{
    internal const string PoolNameTag = "taskpool.pool.name";
    internal const string LaneTag = "taskpool.lane";
    internal const string OutcomeTag = "taskpool.job.outcome";

    private readonly Meter _meter;
    private readonly Counter<long> _jobs;
    private readonly Counter<long> _restarts;
    private readonly Histogram<double> _runDuration;
    private readonly KeyValuePair<string, object?> _poolTag;
    private readonly KeyValuePair<string, object?> _laneTag = new(LaneTag, "process");
    private readonly KeyValuePair<string, object?>[] _outcomeTags =
    [
        new(OutcomeTag, "completed"),
        new(OutcomeTag, "faulted"),
        new(OutcomeTag, "canceled"),
        new(OutcomeTag, "timed_out"),
        new(OutcomeTag, "crashed"),
    ];

    private readonly KeyValuePair<string, object?> _rejectedTag = new(OutcomeTag, "rejected");

    internal IsolationMetrics(ProcessPool pool, IMeterFactory? meterFactory)
    {
        _poolTag = new(PoolNameTag, pool.Name);
        var meterOptions = new MeterOptions(WorkerPool.MeterName) { Version = typeof(ProcessPool).Assembly.GetName().Version?.ToString() };
        _meter = meterFactory?.Create(meterOptions) ?? new Meter(meterOptions);

        KeyValuePair<string, object?>[] tags = [_poolTag, _laneTag];
        _meter.CreateObservableGauge("taskpool.queue.depth", () => new Measurement<int>(pool.GetStats().QueueDepth, tags), "{job}", "Jobs waiting in the pool's queue.");
        _meter.CreateObservableGauge("taskpool.workers.busy", () => new Measurement<int>(pool.GetStats().BusyProcesses, tags), "{process}", "Child processes running a job.");
        _meter.CreateObservableGauge("taskpool.workers.idle", () => new Measurement<int>(pool.GetStats().IdleProcesses, tags), "{process}", "Child processes waiting for a job.");
        _jobs = _meter.CreateCounter<long>("taskpool.jobs.completed", "{job}", "Jobs that ended, by outcome: completed, faulted, canceled, timed_out, crashed or rejected.");
        _restarts = _meter.CreateCounter<long>("taskpool.process.restarts", "{process}", "Child processes started to replace one.");
        _runDuration = _meter.CreateHistogram<double>("taskpool.job.run.duration", "s", "Time from sending a job to a child to its end.");
    }

    internal void OnJobFinished(IsolationOutcome outcome, long startTimestamp)
    {
        if (startTimestamp != 0 && _runDuration.Enabled)
        {
            _runDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, _poolTag, _laneTag);
        }

        if (_jobs.Enabled)
        {
            _jobs.Add(1, _poolTag, _laneTag, _outcomeTags[(int)outcome]);
        }
    }

    internal void OnRejected()
    {
        if (_jobs.Enabled)
        {
            _jobs.Add(1, _poolTag, _laneTag, _rejectedTag);
        }
    }

    internal void OnRestart()
    {
        if (_restarts.Enabled)
        {
            _restarts.Add(1, _poolTag, _laneTag);
        }
    }

    public void Dispose() => _meter.Dispose();
}
