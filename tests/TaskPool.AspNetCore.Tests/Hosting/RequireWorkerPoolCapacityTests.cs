using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskPool.AspNetCore.Tests.Hosting;

public sealed class RequireWorkerPoolCapacityTests
{
    [Fact]
    public async Task RequireWorkerPoolCapacity_QueueFullInRejectMode_Returns503WithRetryAfterBeforeTheHandlerRuns()
    {
        int handled = 0;
        await using WebApplication app = await StartAppAsync(QueueFullMode.Reject, app => app
            .MapGet("/work", async (WorkerPool pool) =>
            {
                Interlocked.Increment(ref handled);
                return await pool.RunAsync(static ct => 1);
            })
            .RequireWorkerPoolCapacity(retryAfter: TimeSpan.FromSeconds(2.5)));
        WorkerPool pool = app.Services.GetRequiredService<WorkerPool>();
        await using BlockedPool blocked = await BlockedPool.BlockAsync(pool);
        ValueTask<int> queued = pool.RunAsync(static ct => 2); // the one queue slot
        using HttpClient client = app.GetTestClient();

        using HttpResponseMessage response = await client.GetAsync("/work");

        await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        Assert.Equal(0, handled);
        blocked.Release();
        Assert.Equal(2, await queued);
        using HttpResponseMessage after = await client.GetAsync("/work");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task RequireWorkerPoolCapacity_HandlerThrowsSaturated_Returns503WithRetryAfter()
    {
        await using WebApplication app = await StartAppAsync(QueueFullMode.Wait, app => app
            .MapGet("/work", static IResult () => throw new WorkerPoolSaturatedException("default", 1))
            .RequireWorkerPoolCapacity());
        using HttpClient client = app.GetTestClient();

        using HttpResponseMessage response = await client.GetAsync("/work");

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("default", problem.GetProperty("pool").GetString());
    }

    [Fact]
    public async Task RequireWorkerPoolCapacity_JobPastItsDeadline_Returns503WithRetryAfter()
    {
        await using WebApplication app = await StartAppAsync(QueueFullMode.Wait, app => app
            .MapGet("/work", static async (WorkerPool pool) => await pool.RunAsync(0, static (x, ct) =>
            {
                ct.WaitHandle.WaitOne(TestTimeouts.Hang); // returns when the deadline cancels the job's token
                return x;
            }, TimeSpan.FromMilliseconds(50)))
            .RequireWorkerPoolCapacity());
        using HttpClient client = app.GetTestClient();

        using HttpResponseMessage response = await client.GetAsync("/work");

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("The job ran past its deadline.", problem.GetProperty("title").GetString());
        Assert.Contains("00:00:00.05", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task RequireWorkerPoolCapacity_PoolShutDownBehindTheHostsBack_Returns503BeforeTheHandlerRuns()
    {
        int handled = 0;
        await using WebApplication app = await StartAppAsync(QueueFullMode.Wait, app => app
            .MapGet("/work", async (WorkerPool pool) =>
            {
                Interlocked.Increment(ref handled);
                return await pool.RunAsync(static ct => 1);
            })
            .RequireWorkerPoolCapacity());
        using HttpClient client = app.GetTestClient();
        await app.Services.GetRequiredService<WorkerPool>().ShutdownAsync(); // the host still runs

        using HttpResponseMessage response = await client.GetAsync("/work");

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("shutting down", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(0, handled);
    }

    [Fact]
    public async Task RequireWorkerPoolCapacity_HandlerThrowsThePoolsObjectDisposed_Returns503()
    {
        // The pool's shutdown began between the filter's check and the handler's submission.
        await using WebApplication app = await StartAppAsync(QueueFullMode.Wait, app => app
            .MapGet("/work", static IResult () => throw new ObjectDisposedException(nameof(WorkerPool), "WorkerPool 'default' is shut down."))
            .RequireWorkerPoolCapacity());
        using HttpClient client = app.GetTestClient();

        using HttpResponseMessage response = await client.GetAsync("/work");

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("shutting down", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Theory]
    [InlineData(typeof(InvalidOperationException))] // a bug
    [InlineData(typeof(TimeoutException))] // an HTTP call of the handler's own: only a pool's deadline (WorkerPoolJobTimeoutException) is a 503
    public async Task RequireWorkerPoolCapacity_OtherException_PassesThroughAs500(Type exceptionType)
    {
        var exception = (Exception)Activator.CreateInstance(exceptionType, "not the pool's")!;
        await using WebApplication app = await StartAppAsync(QueueFullMode.Reject, app => app
            .MapGet("/work", IResult () => throw exception)
            .RequireWorkerPoolCapacity());
        using HttpClient client = app.GetTestClient();

        using HttpResponseMessage response = await client.GetAsync("/work");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
    }

    [Fact]
    public void RequireWorkerPoolCapacity_BadArguments_ThrowAtTheEntryPoint()
    {
        Assert.Throws<ArgumentNullException>(() => WorkerPoolEndpointConventionBuilderExtensions.RequireWorkerPoolCapacity<RouteHandlerBuilder>(null!));
        var builder = new RouteHandlerBuilder([]);
        Assert.Throws<ArgumentException>(() => builder.RequireWorkerPoolCapacity(""));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.RequireWorkerPoolCapacity(retryAfter: TimeSpan.FromSeconds(-1)));
    }

    private static async Task<WebApplication> StartAppAsync(QueueFullMode mode, Action<WebApplication> map)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        builder.Services.AddWorkerPool(o =>
        {
            o.WorkerCount = 1;
            o.QueueCapacity = 1;
            o.FullMode = mode;
        });
        WebApplication app = builder.Build();
        app.UseExceptionHandler();
        map(app);
        await app.StartAsync();
        return app;
    }
}
