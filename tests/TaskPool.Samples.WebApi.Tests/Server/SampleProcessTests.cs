using System.Net;
using System.Net.Http.Json;
using TaskPool.Samples.WebApi.Tests.Infrastructure;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>The sample server as its own process, configured through environment variables like a deployment.</summary>
public sealed class SampleProcessTests
{
    [Fact]
    public async Task SampleServer_WorkerCountZeroInTheEnvironment_FailsStartUpNamingTheSetting()
    {
        using var server = SampleProcess.Start(new Dictionary<string, string> { ["WorkerPool__WorkerCount"] = "0" });

        int exitCode = await server.ExitCodeAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains("OptionsValidationException", server.Output, StringComparison.Ordinal);
        Assert.Contains("'WorkerPool:WorkerCount' (environment variable WorkerPool__WorkerCount)", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SampleServer_SigtermWithRequestsQueued_AnswersEveryOneAndExitsZero()
    {
        using var server = SampleProcess.Start(new Dictionary<string, string>
        {
            ["WorkerPool__WorkerCount"] = "1",
            ["WorkerPool__FullMode"] = "Wait",
            ["Hashing__Iterations"] = "300000", // ~0.2 s each on the CI machine: most of the six still wait in the queue at SIGTERM
            ["Hashing__MaxIterations"] = "1000000",
            ["Shutdown__ReadinessDelay"] = "00:00:00", // drain at once: this test is about the drain, not the readiness delay
        });
        Uri address = await server.ListeningAsync();
        using var client = new HttpClient { BaseAddress = address };
        Task<HttpResponseMessage>[] requests = [.. Enumerable.Range(0, 6).Select(i => client.PostAsJsonAsync("/hash", new { password = $"p{i}" }))];
        await TestTimeouts.WaitUntilAsync(async () => await SubmittedAsync(client) == 6, "the six jobs to be accepted");

        server.Terminate();
        HttpResponseMessage[] responses = await Task.WhenAll(requests).WaitOrFailAsync("every request to be answered");
        int exitCode = await server.ExitCodeAsync();

        Assert.All(responses, static r => Assert.Equal(HttpStatusCode.OK, r.StatusCode)); // the host's 30 s shutdown timeout leaves time for all of them
        Assert.Equal(0, exitCode);
        Assert.Contains("Draining 2 worker pool(s)", server.Output, StringComparison.Ordinal);
        foreach (HttpResponseMessage response in responses)
        {
            response.Dispose();
        }
    }

    private static async Task<long> SubmittedAsync(HttpClient client)
        => (await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/stats")).GetProperty("default").GetProperty("submitted").GetInt64();
}
