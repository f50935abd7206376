using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskPool.AspNetCore.Tests.Hosting;

/// <summary>
/// <c>RequireWorkerPoolCapacity(o => o.FairnessKeySelector = ...)</c>: the key taken from the request reaches the handler and, through
/// <see cref="JobOptions.FairnessKey"/>, the pool; a key over <see cref="WorkerPoolOptions.MaxQueuedPerKey"/> gets 503 while others get in.
/// Every worker is held in a job (<see cref="BlockedPool"/>), so what is queued and what is refused does not depend on timing.
/// </summary>
public sealed class RequireWorkerPoolCapacityFairnessTests
{
    private const string TenantHeader = "X-Tenant";

    [Fact]
    public async Task RequireWorkerPoolCapacity_KeyOverItsLimit_Returns503WithRetryAfterNamingTheKeyWhileAnotherKeyGets200()
    {
        await using WebApplication app = await StartAppAsync(maxQueuedPerKey: 1, static o =>
        {
            o.FairnessKeySelector = static context => context.Request.Headers[TenantHeader].FirstOrDefault();
            o.RetryAfter = TimeSpan.FromSeconds(2.5);
        });
        WorkerPool pool = app.Services.GetRequiredService<WorkerPool>();
        using HttpClient client = app.GetTestClient();
        await using BlockedPool blocked = await BlockedPool.BlockAsync(pool);

        Task<HttpResponseMessage> firstOfA = SendAsync(client, "a");
        await TestTimeouts.WaitUntilAsync(() => pool.GetStats().QueueDepth == 1, "a's first job to be queued");
        using HttpResponseMessage secondOfA = await SendAsync(client, "a");
        Task<HttpResponseMessage> firstOfB = SendAsync(client, "b");
        await TestTimeouts.WaitUntilAsync(() => pool.GetStats().QueueDepth == 2, "b's job to be queued beside a's");

        var problem = await HttpAssert.ProblemAsync(secondOfA, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(TimeSpan.FromSeconds(3), secondOfA.Headers.RetryAfter?.Delta);
        Assert.Equal("a", problem.GetProperty("fairnessKey").GetString());
        Assert.Equal("default", problem.GetProperty("pool").GetString());
        Assert.Equal("Too many jobs are queued for this fairness key.", problem.GetProperty("title").GetString());
        Assert.Equal(2, pool.GetStats().FairnessKeys);
        blocked.Release();
        using HttpResponseMessage a = await firstOfA.WaitOrFailAsync("a's first request");
        using HttpResponseMessage b = await firstOfB.WaitOrFailAsync("b's request");
        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal("a", await a.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        Assert.Equal("b", await b.Content.ReadAsStringAsync());
        Assert.Equal(1, pool.GetStats().Rejected);
    }

    [Fact]
    public async Task RequireWorkerPoolCapacity_FairnessKeySelector_EachRequestsKeyReachesThePoolAsItsJobsKey()
    {
        await using WebApplication app = await StartAppAsync(maxQueuedPerKey: 1, static o =>
            o.FairnessKeySelector = static context => context.Request.Headers[TenantHeader].FirstOrDefault());
        WorkerPool pool = app.Services.GetRequiredService<WorkerPool>();
        using HttpClient client = app.GetTestClient();
        await using BlockedPool blocked = await BlockedPool.BlockAsync(pool);
        // A job queued by hand under key "k": the pool now refuses a second one of "k", and only of "k".
        ValueTask<string> direct = pool.RunAsync("direct", static (s, ct) => s, new JobOptions { FairnessKey = "k" });

        using HttpResponseMessage sameKey = await SendAsync(client, "k");
        Task<HttpResponseMessage>[] otherKeys = [SendAsync(client, "x"), SendAsync(client, "y"), SendAsync(client, "z")];
        await TestTimeouts.WaitUntilAsync(() => pool.GetStats().QueueDepth == 4, "x's, y's and z's jobs to be queued");

        Assert.Equal("k", (await HttpAssert.ProblemAsync(sameKey, HttpStatusCode.ServiceUnavailable)).GetProperty("fairnessKey").GetString());
        Assert.Equal(4, pool.GetStats().FairnessKeys); // k, x, y and z: each request's job carries its own key
        blocked.Release();
        Assert.Equal("direct", await direct);
        foreach (Task<HttpResponseMessage> request in otherKeys)
        {
            using HttpResponseMessage response = await request.WaitOrFailAsync("a request of another key");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task RequireWorkerPoolCapacity_SelectorReturnsNull_RequestsAreUnkeyedAndNotBoundByTheKeyLimit()
    {
        await using WebApplication app = await StartAppAsync(maxQueuedPerKey: 1, static o => o.FairnessKeySelector = static _ => null);
        WorkerPool pool = app.Services.GetRequiredService<WorkerPool>();
        using HttpClient client = app.GetTestClient();
        await using BlockedPool blocked = await BlockedPool.BlockAsync(pool);

        Task<HttpResponseMessage>[] requests = [.. Enumerable.Range(0, 3).Select(_ => SendAsync(client, tenant: null))];
        await TestTimeouts.WaitUntilAsync(() => pool.GetStats().QueueDepth == 3, "three unkeyed jobs to be queued");

        Assert.Equal(0, pool.GetStats().FairnessKeys);
        blocked.Release();
        foreach (Task<HttpResponseMessage> request in requests)
        {
            using HttpResponseMessage response = await request.WaitOrFailAsync("an unkeyed request");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("(none)", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(0, pool.GetStats().Rejected);
    }

    [Fact]
    public async Task GetWorkerPoolFairnessKey_EndpointWithoutSelector_ReturnsNull()
    {
        await using WebApplication app = await StartAppAsync(maxQueuedPerKey: 1, configure: null);
        using HttpClient client = app.GetTestClient();

        using HttpResponseMessage response = await SendAsync(client, "a"); // the header is there, but nothing takes it

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("(none)", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RequireWorkerPoolCapacity_JobRefusedForAKeyThatIsNotTheRequests_Returns503WithoutNamingThatKey()
    {
        // The handler keyed its job by something else than the request's key (another tenant's, say): the client must not learn it.
        await using WebApplication app = await StartAppAsync(maxQueuedPerKey: 1, configure: null, map: static app => app
            .MapGet("/foreign", static IResult () => throw new WorkerPoolSaturatedException("default", 10, "tenant-secret-42", 1))
            .RequireWorkerPoolCapacity(static o => o.FairnessKeySelector = static context => context.Request.Headers[TenantHeader].FirstOrDefault()));
        using HttpClient client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/foreign");
        request.Headers.Add(TenantHeader, "a");

        using HttpResponseMessage response = await client.SendAsync(request);

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.False(problem.TryGetProperty("fairnessKey", out _));
        Assert.DoesNotContain("tenant-secret-42", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireWorkerPoolCapacity_OptionsNameAnotherPool_TheFilterGuardsThatPool()
    {
        WebApplicationBuilder builder = CreateBuilder(maxQueuedPerKey: 1);
        builder.Services.AddWorkerPool("images", static o =>
        {
            o.WorkerCount = 1;
            o.QueueCapacity = 1;
            o.FullMode = QueueFullMode.Reject;
        });
        await using WebApplication app = builder.Build();
        app.UseExceptionHandler();
        app.MapGet("/images", static async ([FromKeyedServices("images")] WorkerPool pool) => await pool.RunAsync(0, static (x, ct) => x))
            .RequireWorkerPoolCapacity(static o => o.PoolName = "images");
        await app.StartAsync();
        WorkerPool images = app.Services.GetRequiredKeyedService<WorkerPool>("images");
        await using BlockedPool blocked = await BlockedPool.BlockAsync(images);
        ValueTask<int> queued = images.RunAsync(1, static (x, ct) => x); // its one queue slot
        using HttpClient client = app.GetTestClient();

        using HttpResponseMessage response = await client.GetAsync("/images");

        Assert.Equal("images", (await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable)).GetProperty("pool").GetString());
        blocked.Release();
        Assert.Equal(1, await queued);
    }

    [Fact]
    public void RequireWorkerPoolCapacity_BadOptions_ThrowAtTheEntryPoint()
    {
        var builder = new RouteHandlerBuilder([]);

        Assert.Throws<ArgumentNullException>(() => WorkerPoolEndpointConventionBuilderExtensions.RequireWorkerPoolCapacity<RouteHandlerBuilder>(null!, static _ => { }));
        Assert.Throws<ArgumentNullException>(() => builder.RequireWorkerPoolCapacity((Action<WorkerPoolCapacityOptions>)null!));
        Assert.Equal("PoolName", Assert.Throws<ArgumentException>(() => builder.RequireWorkerPoolCapacity(static o => o.PoolName = " ")).ParamName);
        Assert.Equal("RetryAfter", Assert.Throws<ArgumentOutOfRangeException>(() => builder.RequireWorkerPoolCapacity(static o => o.RetryAfter = TimeSpan.FromSeconds(-1))).ParamName);
        Assert.Equal("RetryAfter", Assert.Throws<ArgumentOutOfRangeException>(() => builder.RequireWorkerPoolCapacity(static o => o.RetryAfter = TimeSpan.FromDays(2))).ParamName);
        Assert.Throws<ArgumentNullException>(() => WorkerPoolHttpContextExtensions.GetWorkerPoolFairnessKey(null!));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string? tenant)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/work");
        if (tenant is not null)
        {
            request.Headers.Add(TenantHeader, tenant);
        }

        return await client.SendAsync(request);
    }

    /// <summary>
    /// One worker, ten queue slots, Reject mode. <c>GET /work</c> runs a job keyed by the request's fairness key that returns the key
    /// the handler saw (or "(none)"), behind <c>RequireWorkerPoolCapacity(configure)</c> (or the plain overload when it is null);
    /// <paramref name="map"/> maps more.
    /// </summary>
    private static async Task<WebApplication> StartAppAsync(int maxQueuedPerKey, Action<WorkerPoolCapacityOptions>? configure, Action<WebApplication>? map = null)
    {
        WebApplication app = CreateBuilder(maxQueuedPerKey).Build();
        app.UseExceptionHandler();
        RouteHandlerBuilder work = app.MapGet("/work", static async (WorkerPool pool, HttpContext context) =>
        {
            string? key = context.GetWorkerPoolFairnessKey();
            return await pool.RunAsync(key ?? "(none)", static (k, ct) => k, new JobOptions { FairnessKey = key }, context.RequestAborted);
        });
        _ = configure is null ? work.RequireWorkerPoolCapacity() : work.RequireWorkerPoolCapacity(configure);
        map?.Invoke(app);

        await app.StartAsync();
        return app;
    }

    private static WebApplicationBuilder CreateBuilder(int maxQueuedPerKey)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        builder.Services.AddWorkerPool(o =>
        {
            o.WorkerCount = 1;
            o.QueueCapacity = 10;
            o.FullMode = QueueFullMode.Reject;
            o.MaxQueuedPerKey = maxQueuedPerKey;
        });
        return builder;
    }
}
