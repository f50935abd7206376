using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaskPool.Samples.WebApi.Tests.Infrastructure;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>
/// /hash keyed by client on the real Kestrel, with the sample's own <c>WorkerPool:MaxQueuedPerKey</c> (appsettings.json): a client that
/// floods gets 503 with Retry-After past its share of the queue, while a polite client is still served. Every worker is held in a job
/// (<see cref="BlockedPool"/>) while the requests arrive, so what is queued and what is refused does not depend on how fast this machine hashes.
/// </summary>
public sealed class ClientFairnessTests
{
    private const int Excess = 5;

    [Fact]
    public async Task Hash_FloodingClientAndPoliteClient_FlooderGets503sPastItsShareWhileThePoliteClientIsServed()
    {
        using var factory = new SampleServerFactory(SampleServerFactory.FastHashing, useKestrel: true);
        Uri address = factory.StartKestrel();
        using var client = new HttpClient { BaseAddress = address };
        WorkerPool pool = factory.Services.GetRequiredService<WorkerPool>();
        int limit = MaxQueuedPerKey(factory);
        BlockedPool blocked = await BlockedPool.BlockAsync(pool);

        Task<Outcome>[] flood = [.. Enumerable.Range(0, limit + Excess).Select(i => HashAsync(client, "flooder", $"flood {i}"))];
        await TestTimeouts.WaitUntilAsync(() => flood.Count(static r => r.IsCompleted) == Excess, "the flooder's excess to be refused");
        Task<Outcome>[] polite = [HashAsync(client, "polite", "polite 0"), HashAsync(client, "polite", "polite 1")];
        await TestTimeouts.WaitUntilAsync(() => pool.GetStats().QueueDepth == limit + polite.Length, "the polite client's requests to be queued");
        Assert.All(polite, static r => Assert.False(r.IsCompleted)); // queued, not refused, with the flooder at its limit
        Assert.Equal(2, pool.GetStats().FairnessKeys);
        blocked.Release();
        Outcome[] flooded = await Task.WhenAll(flood).WaitOrFailAsync("every flood request");
        Outcome[] served = await Task.WhenAll(polite).WaitOrFailAsync("the polite requests");
        await blocked.DisposeAsync();

        Assert.All(served, static r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(limit, flooded.Count(static r => r.Status == HttpStatusCode.OK));
        Outcome[] refused = [.. flooded.Where(static r => r.Status == HttpStatusCode.ServiceUnavailable)];
        Assert.Equal(Excess, refused.Length);
        Assert.All(refused, static r =>
        {
            Assert.Equal(TimeSpan.FromSeconds(1), r.RetryAfter);
            Assert.Equal("client:flooder", r.FairnessKey);
        });
        Assert.Equal(Excess, pool.GetStats().Rejected);
        using HttpResponseMessage again = await PostHashAsync(client, "flooder", "after the flood"); // the flooder is served again once its queue drained
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Hash_NoClientIdHeader_KeyedByTheRemoteAddressAndAnIdentifiedClientStillGetsIn()
    {
        using var factory = new SampleServerFactory(SampleServerFactory.FastHashing, useKestrel: true);
        Uri address = factory.StartKestrel();
        using var client = new HttpClient { BaseAddress = address };
        WorkerPool pool = factory.Services.GetRequiredService<WorkerPool>();
        int limit = MaxQueuedPerKey(factory);
        await using BlockedPool blocked = await BlockedPool.BlockAsync(pool);

        // No header, a header too long to be an id, and an empty one: all keyed by 127.0.0.1.
        string tooLong = new('x', 65);
        Task<Outcome>[] anonymous = [.. Enumerable.Range(0, limit + 3).Select(i => HashAsync(client, (i % 3) switch { 0 => null, 1 => tooLong, _ => "" }, $"anonymous {i}"))];
        await TestTimeouts.WaitUntilAsync(() => anonymous.Count(static r => r.IsCompleted) == 3, "the anonymous excess to be refused");
        Task<Outcome> identified = HashAsync(client, "tenant-7", "identified");
        await TestTimeouts.WaitUntilAsync(() => pool.GetStats().QueueDepth == limit + 1, "the identified client's request to be queued");
        blocked.Release();
        Outcome[] outcomes = await Task.WhenAll(anonymous).WaitOrFailAsync("the anonymous requests");

        Assert.Equal(HttpStatusCode.OK, (await identified.WaitOrFailAsync("the identified request")).Status);
        Assert.Equal(limit, outcomes.Count(static r => r.Status == HttpStatusCode.OK));
        Assert.All(outcomes.Where(static r => r.Status != HttpStatusCode.OK), static r =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status);
            Assert.Equal("ip:127.0.0.1", r.FairnessKey);
        });
    }

    [Fact]
    public void Settings_MaxQueuedPerKeySetEmpty_LiftsTheLimit()
    {
        using var shipped = new SampleServerFactory();
        using var lifted = new SampleServerFactory(SampleServerFactory.FastHashingWith(("WorkerPool:MaxQueuedPerKey", "")));

        Assert.NotNull(MaxQueuedPerKeyOrNull(shipped));
        Assert.Null(MaxQueuedPerKeyOrNull(lifted));
    }

    /// <summary>The sample's shipped setting (appsettings.json): the test floods past whatever it is.</summary>
    private static int MaxQueuedPerKey(SampleServerFactory factory)
        => MaxQueuedPerKeyOrNull(factory) ?? throw new InvalidOperationException("appsettings.json sets no WorkerPool:MaxQueuedPerKey");

    private static int? MaxQueuedPerKeyOrNull(SampleServerFactory factory)
        => factory.Services.GetRequiredService<IOptionsMonitor<WorkerPoolOptions>>().Get(TaskPool.AspNetCore.WorkerPoolDefaults.PoolName).MaxQueuedPerKey;

    private static async Task<Outcome> HashAsync(HttpClient client, string? clientId, string password)
    {
        using HttpResponseMessage response = await PostHashAsync(client, clientId, password);
        string? key = null;
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            JsonElement problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            key = problem.TryGetProperty("fairnessKey", out JsonElement value) ? value.GetString() : null;
        }

        return new Outcome(response.StatusCode, response.Headers.RetryAfter?.Delta, key);
    }

    private static Task<HttpResponseMessage> PostHashAsync(HttpClient client, string? clientId, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/hash") { Content = JsonContent.Create(new { password }) };
        if (clientId is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Client-Id", clientId);
        }

        return client.SendAsync(request);
    }

    private sealed record Outcome(HttpStatusCode Status, TimeSpan? RetryAfter, string? FairnessKey);
}
