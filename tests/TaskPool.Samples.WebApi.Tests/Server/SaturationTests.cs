using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TaskPool.Samples.WebApi.Tests.Infrastructure;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>Saturation on the real Kestrel: one worker, one queue slot, Reject mode.</summary>
public sealed class SaturationTests
{
    [Fact]
    public async Task Hash_TwentyConcurrentRequestsOnOneWorkerAndOneSlot_503sWithRetryAfterNo500sAndPingStays200()
    {
        using var factory = new SampleServerFactory(
            SampleServerFactory.FastHashingWith(("WorkerPool:WorkerCount", "1"), ("WorkerPool:QueueCapacity", "1"), ("WorkerPool:FullMode", "Reject")),
            useKestrel: true);
        Uri address = factory.StartKestrel();
        using var client = new HttpClient { BaseAddress = address };
        using var pingClient = new HttpClient { BaseAddress = address };
        WorkerPool pool = factory.Services.GetRequiredService<WorkerPool>();
        // The worker is held in a job, so the outcome does not depend on how fast this machine hashes:
        // of 20 concurrent requests exactly one fits the queue slot and the other 19 are refused.
        BlockedPool blocked = await BlockedPool.BlockAsync(pool);
        using var stopPinging = new CancellationTokenSource();
        Task<List<HttpStatusCode>> pings = PingUntilAsync(pingClient, stopPinging.Token);

        Task<(HttpStatusCode Status, TimeSpan? RetryAfter)>[] hashes =
            [.. Enumerable.Range(0, 20).Select(i => HashAsync(client, $"password {i}"))];
        await TestTimeouts.WaitUntilAsync(() => hashes.Count(static h => h.IsCompleted) == 19, "19 requests to be refused");
        blocked.Release();
        var results = await Task.WhenAll(hashes).WaitOrFailAsync("every /hash request");
        await stopPinging.CancelAsync();
        List<HttpStatusCode> pingStatuses = await pings.WaitOrFailAsync("the /ping loop");
        await blocked.DisposeAsync();

        Assert.Equal(19, results.Count(static r => r.Status == HttpStatusCode.ServiceUnavailable));
        Assert.Equal(1, results.Count(static r => r.Status == HttpStatusCode.OK));
        Assert.All(results.Where(static r => r.Status == HttpStatusCode.ServiceUnavailable), static r => Assert.Equal(TimeSpan.FromSeconds(1), r.RetryAfter));
        Assert.True(pingStatuses.Count > 0, "no /ping completed");
        Assert.All(pingStatuses, static s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(2, pool.GetStats().Submitted); // the blocker and the one queued request: a refused request is never accepted
        await SampleServerAssert.StillServesAsync(client);
    }

    private static async Task<(HttpStatusCode Status, TimeSpan? RetryAfter)> HashAsync(HttpClient client, string password)
    {
        using HttpResponseMessage response = await client.PostAsJsonAsync("/hash", new { password });
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        }

        return (response.StatusCode, response.Headers.RetryAfter?.Delta);
    }

    private static async Task<List<HttpStatusCode>> PingUntilAsync(HttpClient client, CancellationToken stop)
    {
        var statuses = new List<HttpStatusCode>();
        do
        {
            using HttpResponseMessage response = await client.GetAsync("/ping", CancellationToken.None);
            statuses.Add(response.StatusCode);
            await Task.Delay(5, CancellationToken.None);
        }
        while (!stop.IsCancellationRequested);

        return statuses;
    }
}
