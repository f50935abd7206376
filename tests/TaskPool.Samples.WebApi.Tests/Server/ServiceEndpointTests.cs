using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskPool.Samples.WebApi.Tests.Infrastructure;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>GET /ping, /stats, /health, /metrics and the HTML page.</summary>
public sealed class ServiceEndpointTests : IClassFixture<SampleServerFactory>
{
    private readonly SampleServerFactory _factory;

    public ServiceEndpointTests(SampleServerFactory factory) => _factory = factory;

    [Fact]
    public async Task Ping_Always_ReturnsPongWithoutTouchingAPool()
    {
        using HttpClient client = _factory.CreateClient();
        long before = await SubmittedAsync(client);

        string pong = await client.GetStringAsync("/ping");

        Assert.Equal("pong", pong);
        Assert.Equal(before, await SubmittedAsync(client));
    }

    [Fact]
    public async Task Stats_AfterAHash_ListsBothPoolsAndCountsTheJob()
    {
        using HttpClient client = _factory.CreateClient();
        long before = await SubmittedAsync(client);
        await HashEndpointTests.HashAsync(client, "count me");

        JsonElement stats = await client.GetFromJsonAsync<JsonElement>("/stats");

        JsonElement pool = stats.GetProperty("default");
        Assert.True(pool.GetProperty("submitted").GetInt64() >= before + 1);
        Assert.True(pool.GetProperty("completed").GetInt64() >= 1);
        Assert.Equal(pool.GetProperty("workerCount").GetInt32(), pool.GetProperty("busyWorkers").GetInt32() + pool.GetProperty("idleWorkers").GetInt32());
        Assert.Equal(8, stats.GetProperty("images").GetProperty("queueCapacity").GetInt32()); // from the sample's appsettings.json
    }

    [Fact]
    public async Task Health_IdleServer_HealthyWithEachPoolsStatsInThePayload()
    {
        using HttpClient client = _factory.CreateClient();

        using HttpResponseMessage response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        JsonElement images = health.GetProperty("checks").GetProperty("workerpool:images");
        Assert.Equal("Healthy", images.GetProperty("status").GetString());
        Assert.Equal(8, images.GetProperty("data").GetProperty("queueCapacity").GetInt32());
        Assert.True(health.GetProperty("checks").GetProperty("workerpool:default").GetProperty("data").TryGetProperty("busyWorkers", out _));
    }

    [Fact]
    public async Task Metrics_AfterAHash_ExposesTheTaskPoolInstrumentsAsPrometheusText()
    {
        using HttpClient client = _factory.CreateClient();
        await HashEndpointTests.HashAsync(client, "measure me");

        using HttpResponseMessage response = await client.GetAsync("/metrics");
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Matches("(?m)^taskpool_queue_depth\\{[^}]*taskpool_pool_name=\"default\"", text);
        Assert.Matches("(?m)^taskpool_workers_busy\\{[^}]*taskpool_pool_name=\"images\"", text);
        Assert.Matches("(?m)^taskpool_jobs_completed_total\\{[^}]*taskpool_job_outcome=\"completed\"", text);
        Assert.DoesNotContain("taskpool_taskpool_", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_Get_ServesTheHtmlPageAndItsScript()
    {
        using HttpClient client = _factory.CreateClient();

        using HttpResponseMessage page = await client.GetAsync("/");
        using HttpResponseMessage script = await client.GetAsync("/app.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"thumbnail-form\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task UnknownRoute_Get_Returns404ProblemDetails()
    {
        using HttpClient client = _factory.CreateClient();

        using HttpResponseMessage response = await client.GetAsync("/nope");

        await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    private static async Task<long> SubmittedAsync(HttpClient client)
        => (await client.GetFromJsonAsync<JsonElement>("/stats")).GetProperty("default").GetProperty("submitted").GetInt64();
}
