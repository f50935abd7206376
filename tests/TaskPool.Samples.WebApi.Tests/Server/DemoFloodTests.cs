using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskPool.Samples.WebApi.Tests.Infrastructure;
using TaskPool.Samples.WebApi.Demo;
using TaskPool.Samples.WebApi.Hashing;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>
/// The page's flood demo, <c>/demo/flood</c>: the server hashes PBKDF2 (1,000 iterations here) from inside itself, one flood at a time,
/// within caps, only where <c>Demo:Enabled</c>; every flood ends at its deadline or when the host stops, leaving no work behind.
/// </summary>
public sealed class DemoFloodTests
{
    private static readonly Dictionary<string, string?> s_demoOn = SampleServerFactory.FastHashingWith(("Demo:Enabled", "true"));

    [Fact]
    public async Task FloodPost_WhileAFloodRuns_Returns409AndTheRunningFloodIsUntouched()
    {
        using var factory = new SampleServerFactory(s_demoOn);
        using HttpClient client = factory.CreateClient();
        using HttpResponseMessage first = await client.PostAsync("/demo/flood?mode=pool&seconds=30&concurrency=2", content: null);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        using HttpResponseMessage second = await client.PostAsync("/demo/flood?mode=inline&seconds=1&concurrency=1", content: null);

        JsonElement problem = await HttpAssert.ProblemAsync(second, HttpStatusCode.Conflict);
        Assert.Contains("pool flood", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        JsonElement flood = await LatestFloodAsync(client);
        Assert.Equal("pool", flood.GetProperty("mode").GetString());
        Assert.True(flood.GetProperty("running").GetBoolean());
        Assert.Equal(30, flood.GetProperty("seconds").GetInt32());
    } // disposing the factory stops the host, which ends the 30 s flood (FloodRunner_HostStopsMidFlood_...)

    public static TheoryData<string, string> OutOfRange => new()
    {
        { "mode=pool&seconds=0", "seconds" },
        { "mode=pool&seconds=31", "seconds" },
        { "mode=pool&seconds=-5", "seconds" },
        { "mode=pool&concurrency=0", "concurrency" },
        { $"mode=pool&concurrency={(4 * Environment.ProcessorCount) + 1}", "concurrency" },
        { "mode=turbo", "mode" },
        { "mode=1", "mode" },
        { "seconds=5", "mode" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task FloodPost_ValueOutOfRange_Returns400NamingTheFieldAndStartsNothing(string query, string field)
    {
        using var factory = new SampleServerFactory(s_demoOn);
        using HttpClient client = factory.CreateClient();

        using HttpResponseMessage response = await client.PostAsync($"/demo/flood?{query}", content: null);

        JsonElement problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for '{field}' in {problem}");
        JsonElement overview = await client.GetFromJsonAsync<JsonElement>("/demo/flood");
        Assert.False(overview.TryGetProperty("flood", out _), "a refused request started a flood");
        Assert.Equal(0, factory.Services.GetRequiredService<WorkerPool>().GetStats().Submitted);
    }

    [Fact]
    public async Task FloodPost_AtTheCaps_IsAccepted()
    {
        using var factory = new SampleServerFactory(s_demoOn);
        using HttpClient client = factory.CreateClient();

        using HttpResponseMessage response = await client.PostAsync(
            $"/demo/flood?mode=pool&seconds={DemoOptions.HardMaxSeconds}&concurrency={DemoOptions.HardMaxConcurrency}", content: null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        JsonElement flood = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(30, flood.GetProperty("seconds").GetInt32());
        Assert.Equal(4 * Environment.ProcessorCount, flood.GetProperty("concurrency").GetInt32());
    }

    [Theory]
    [InlineData(null)] // appsettings.json: off
    [InlineData("false")]
    public async Task FloodEndpoints_DemoDisabled_Return404AndHashNothing(string? enabled)
    {
        using var factory = new SampleServerFactory(enabled is null ? SampleServerFactory.FastHashing : SampleServerFactory.FastHashingWith(("Demo:Enabled", enabled)));
        using HttpClient client = factory.CreateClient();

        using HttpResponseMessage post = await client.PostAsync("/demo/flood?mode=inline&seconds=5&concurrency=2", content: null);
        using HttpResponseMessage get = await client.GetAsync("/demo/flood");

        await HttpAssert.ProblemAsync(post, HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(get, HttpStatusCode.NotFound);
        Assert.Null(factory.Services.GetRequiredService<FloodRunner>().Latest);
        await SampleServerAssert.StillServesAsync(client);
    }

    [Fact]
    public async Task FloodEndpoints_DevelopmentEnvironment_AreOnWithoutAnySetting()
    {
        using var factory = new SampleServerFactory();
        using WebApplicationFactory<Program> development = factory.WithWebHostBuilder(static b => b.UseEnvironment(Environments.Development));
        using HttpClient client = development.CreateClient();

        using HttpResponseMessage response = await client.GetAsync("/demo/flood");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement overview = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(DemoOptions.HardMaxSeconds, overview.GetProperty("maxSeconds").GetInt32());
        Assert.Equal(4 * Environment.ProcessorCount, overview.GetProperty("maxConcurrency").GetInt32());
        Assert.Equal(Environment.ProcessorCount, overview.GetProperty("processorCount").GetInt32());
    }

    [Theory]
    [InlineData("Demo:MaxSeconds", "31")]
    [InlineData("Demo:MaxSeconds", "0")]
    [InlineData("Demo:MaxConcurrency", "0")]
    [InlineData("Demo:MaxConcurrency", "100000")]
    public void Startup_DemoCapOutOfRange_FailsNamingTheSetting(string key, string value)
    {
        using var factory = new SampleServerFactory(SampleServerFactory.FastHashingWith(("Demo:Enabled", "true"), (key, value)));

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pool")]
    [InlineData("inline")]
    [InlineData("threadpool")]
    public async Task Flood_EachMode_EndsAtItsDeadlineByItselfAndLeavesThePoolAtRest(string mode)
    {
        using var factory = new SampleServerFactory(s_demoOn);
        using HttpClient client = factory.CreateClient();
        WorkerPool pool = factory.Services.GetRequiredService<WorkerPool>();

        using HttpResponseMessage response = await client.PostAsync($"/demo/flood?mode={mode}&seconds=1&concurrency=3", content: null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("/demo/flood", response.Headers.Location?.OriginalString);
        JsonElement flood = default;
        await TestTimeouts.WaitUntilAsync(async () => !(flood = await LatestFloodAsync(client)).GetProperty("running").GetBoolean(), "the flood to end");

        Assert.Equal(mode, flood.GetProperty("mode").GetString());
        Assert.Equal(3, flood.GetProperty("concurrency").GetInt32());
        Assert.Equal(1000, flood.GetProperty("iterations").GetInt32());
        long hashes = flood.GetProperty("hashes").GetInt64();
        Assert.True(hashes > 0, "the flood hashed nothing");
        Assert.Equal(0, flood.GetProperty("faulted").GetInt64());
        Assert.True(flood.TryGetProperty("endedAt", out _), $"an ended flood without endedAt: {flood}");
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(0, stats.BusyWorkers);
        Assert.Equal(0, stats.QueueDepth);
        Assert.Equal(stats.Submitted, stats.Completed + stats.Faulted + stats.Canceled + stats.TimedOut);
        if (mode == "pool")
        {
            Assert.Equal(hashes, stats.Completed); // every hash ran on the pool, and a job canceled at the deadline is not a hash
        }
        else
        {
            Assert.Equal(0, stats.Submitted); // inline and Task.Run hash on the ThreadPool: the pool never saw them
        }

        // One at a time, not one ever: once it has ended, the next flood starts.
        using HttpResponseMessage next = await client.PostAsync("/demo/flood?mode=pool&seconds=1&concurrency=1", content: null);
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
    }

    [Theory]
    [InlineData("pool")]
    [InlineData("inline")]
    public async Task FloodRunner_HostStopsMidFlood_FloodHasEndedWhenStopReturnsAndThePoolIsAtRest(string mode)
    {
        // The host gives up waiting after 10 s, well before the flood's 30 s deadline: only a flood stopped by the host has ended by then.
        using var factory = new SampleServerFactory(
            s_demoOn,
            configureServices: static services => services.Configure<HostOptions>(static o => o.ShutdownTimeout = TimeSpan.FromSeconds(10)));
        using HttpClient client = factory.CreateClient();
        WorkerPool pool = factory.Services.GetRequiredService<WorkerPool>();
        FloodRunner runner = factory.Services.GetRequiredService<FloodRunner>();
        using HttpResponseMessage response = await client.PostAsync($"/demo/flood?mode={mode}&seconds=30&concurrency=4", content: null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await TestTimeouts.WaitUntilAsync(() => runner.Latest!.Hashes > 0, "the flood to hash");

        await factory.Services.GetRequiredService<IHost>().StopAsync().WaitOrFailAsync("the host to stop");

        Flood flood = runner.Latest!;
        Assert.True(flood.Ended.IsCompleted, "the host stopped with the flood still running");
        Assert.True(flood.Stopping.IsCancellationRequested);
        Assert.Equal(0, flood.Faulted);
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(0, stats.BusyWorkers);
        Assert.Equal(0, stats.QueueDepth);
        Assert.Equal(stats.Submitted, stats.Completed + stats.Faulted + stats.Canceled + stats.TimedOut);
        Assert.Equal(FloodStartOutcome.ServerStopping, runner.TryStart(HashingMode.Pool, 1, 1, out _));
    }

    private static async Task<JsonElement> LatestFloodAsync(HttpClient client)
        => (await client.GetFromJsonAsync<JsonElement>("/demo/flood")).GetProperty("flood");
}
