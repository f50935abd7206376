using System.Net;
using TaskPool.Samples.WebApi.Tests.Infrastructure;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>Liveness and readiness probes of the sample server as its own process, and the readiness delay on SIGTERM (rolling deploys).</summary>
public sealed class ProbeTests
{
    [Fact]
    public async Task HealthProbes_ServerStarted_LiveAndReadyAnswer200()
    {
        using var server = SampleProcess.Start(new Dictionary<string, string> { ["Shutdown__ReadinessDelay"] = "00:00:00" });
        Uri address = await server.ListeningAsync();
        using var client = new HttpClient { BaseAddress = address };

        using HttpResponseMessage live = await client.GetAsync("/health/live");
        await TestTimeouts.WaitUntilAsync(async () => await StatusAsync(client, "/health/ready") == HttpStatusCode.OK, "/health/ready to answer 200");
        using HttpResponseMessage health = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Sigterm_ReadinessDelaySet_ReadyAnswers503WhilePingStillAnswers200ThenExitsZero()
    {
        using var server = SampleProcess.Start(new Dictionary<string, string> { ["Shutdown__ReadinessDelay"] = "00:00:03" });
        Uri address = await server.ListeningAsync();
        using var client = new HttpClient { BaseAddress = address };
        await TestTimeouts.WaitUntilAsync(async () => await StatusAsync(client, "/health/ready") == HttpStatusCode.OK, "/health/ready to answer 200");

        server.Terminate();
        await TestTimeouts.WaitUntilAsync(async () => await StatusAsync(client, "/health/ready") == HttpStatusCode.ServiceUnavailable, "/health/ready to answer 503");
        HttpStatusCode ping = await StatusAsync(client, "/ping"); // still inside the 3 s delay: the server serves on
        HttpStatusCode live = await StatusAsync(client, "/health/live");
        int exitCode = await server.ExitCodeAsync();

        Assert.Equal(HttpStatusCode.OK, ping);
        Assert.Equal(HttpStatusCode.OK, live);
        Assert.Equal(0, exitCode);
        Assert.Contains("serving on for 3 s", server.Output, StringComparison.Ordinal);
        Assert.Contains("Draining 2 worker pool(s)", server.Output, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using HttpResponseMessage response = await client.GetAsync(path);
        return response.StatusCode;
    }
}
