using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// One span per job on the <see cref="ActivitySource"/> named <see cref="WorkerPool.ActivitySourceName"/>, only while someone listens.
/// The span covers the job's whole life (queue wait, then run), is parented to the span that was current where the job was submitted,
/// carries the wait and run times as attributes and the outcome as its status.
/// </summary>
internal static class PoolTracing
{
    internal const string JobActivityName = "TaskPool.Job";

    private static readonly ActivitySource s_source = new(WorkerPool.ActivitySourceName, typeof(WorkerPool).Assembly.GetName().Version?.ToString());

    /// <summary>Cheap check done at submit: no listener, no timestamp, no span.</summary>
    internal static bool IsEnabled => s_source.HasListeners();

    internal static Activity? StartJob(string poolName, ActivityContext parent, long submittedTimestamp, long startedTimestamp)
    {
        TimeSpan waited = Stopwatch.GetElapsedTime(submittedTimestamp, startedTimestamp);
        Activity? activity = s_source.StartActivity(JobActivityName, ActivityKind.Internal, parent, startTime: DateTimeOffset.UtcNow - waited);
        if (activity is not null)
        {
            activity.DisplayName = $"{poolName} job";
            activity.SetTag(PoolMetrics.PoolNameTag, poolName);
            activity.SetTag("taskpool.job.wait.duration", waited.TotalSeconds);
        }

        return activity;
    }

    internal static void StopJob(Activity activity, JobOutcome outcome, long startedTimestamp)
    {
        activity.SetTag("taskpool.job.run.duration", Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds);
        activity.SetTag(PoolMetrics.OutcomeTag, outcome switch
        {
            JobOutcome.Completed => "completed",
            JobOutcome.Faulted => "faulted",
            JobOutcome.TimedOut => "timed_out",
            _ => "canceled",
        });
        activity.SetStatus(outcome == JobOutcome.Faulted ? ActivityStatusCode.Error : ActivityStatusCode.Ok);
        activity.Stop();
    }
}
