using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using TaskPool.Samples.WebApi.Tests.Infrastructure;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>One span per pool job, parented to the request's span, when someone listens (as the OpenTelemetry SDK does).</summary>
public sealed class TracingTests : IClassFixture<SampleServerFactory>
{
    private readonly SampleServerFactory _factory;

    public TracingTests(SampleServerFactory factory) => _factory = factory;

    [Fact]
    public async Task Hash_WithAListener_JobSpanIsAChildOfTheRequestSpanWithWaitRunAndOutcome()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name is WorkerPool.ActivitySourceName or "Microsoft.AspNetCore",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        ActivityTraceId traceId = ActivityTraceId.CreateRandom();
        using HttpClient client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hash") { Content = JsonContent.Create(new { password = "traced" }) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using HttpResponseMessage response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await TestTimeouts.WaitUntilAsync(() => stopped.Any(a => a.TraceId == traceId && a.Source.Name == "Microsoft.AspNetCore"), "the request span to end");

        Activity requestSpan = stopped.Single(a => a.TraceId == traceId && a.Source.Name == "Microsoft.AspNetCore");
        Activity job = stopped.Single(a => a.TraceId == traceId && a.Source.Name == WorkerPool.ActivitySourceName);
        Assert.Equal(requestSpan.SpanId, job.ParentSpanId);
        Assert.Equal("default", job.GetTagItem("taskpool.pool.name"));
        Assert.Equal("completed", job.GetTagItem("taskpool.job.outcome"));
        Assert.IsType<double>(job.GetTagItem("taskpool.job.wait.duration"));
        Assert.True((double)job.GetTagItem("taskpool.job.run.duration")! > 0);
        Assert.Equal(ActivityStatusCode.Ok, job.Status);
    }
}
