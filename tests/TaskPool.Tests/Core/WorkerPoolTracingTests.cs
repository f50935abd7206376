using System.Collections.Concurrent;
using System.Diagnostics;

namespace TaskPool.Tests.Core;

public sealed class WorkerPoolTracingTests
{
    [Fact]
    public async Task RunAsync_ListenerAttached_OneSpanPerJobParentedToTheCallersSpan()
    {
        string poolName = "traced-" + Guid.NewGuid().ToString("N")[..8];
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkerPool.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("taskpool.pool.name") as string == poolName)
                {
                    stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var pool = new WorkerPool(new WorkerPoolOptions { Name = poolName, WorkerCount = 1, FlowExecutionContext = false });
        using var request = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();

        string? insideJob = await pool.RunAsync(static ct => Activity.Current?.OperationName);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await pool.RunAsync(static ct => Throws.Value<int>(new InvalidOperationException())));
        request.Stop();

        Assert.Equal("TaskPool.Job", insideJob); // the job's own span is current while it runs, even without context flow
        Assert.Equal(2, stopped.Count);
        Assert.All(stopped, span =>
        {
            Assert.Equal(request.TraceId, span.TraceId);
            Assert.Equal(request.SpanId, span.ParentSpanId);
            Assert.IsType<double>(span.GetTagItem("taskpool.job.wait.duration"));
            Assert.IsType<double>(span.GetTagItem("taskpool.job.run.duration"));
        });
        Assert.Equal(["completed", "faulted"], stopped.Select(s => (string)s.GetTagItem("taskpool.job.outcome")!));
        Assert.Equal([ActivityStatusCode.Ok, ActivityStatusCode.Error], stopped.Select(s => s.Status));
    }
}
