using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskPool.AspNetCore;
using TaskPool.Samples.WebApi.Tests.Infrastructure;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>Stopping the host (on the real Kestrel) while /hash requests wait in the pool's queue.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task StopAsync_RequestsQueuedAndDrainDeadlinePasses_EachQueuedRequestGets503AndNoneHangs()
    {
        using var factory = CreateServer(TimeSpan.FromSeconds(1));
        Uri address = factory.StartKestrel();
        using var client = new HttpClient { BaseAddress = address };
        WorkerPool pool = factory.Services.GetRequiredService<WorkerPool>();
        await using BlockedPool blocked = await BlockedPool.BlockAsync(pool); // honours its token: the forced drain ends it
        Task<HttpResponseMessage>[] requests = [.. Enumerable.Range(0, 5).Select(i => client.PostAsJsonAsync("/hash", new { password = $"p{i}" }))];
        await TestTimeouts.WaitUntilAsync(() => pool.GetStats().QueueDepth == 5, "five requests queued");

        Task stop = factory.Services.GetRequiredService<IHost>().StopAsync();
        HttpResponseMessage[] responses = await Task.WhenAll(requests).WaitOrFailAsync("every queued request to be answered");
        await stop.WaitOrFailAsync("the host to stop");

        foreach (HttpResponseMessage response in responses)
        {
            var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("shutting down", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
            Assert.NotNull(response.Headers.RetryAfter);
            response.Dispose();
        }
    }

    [Fact]
    public async Task StopAsync_RequestsQueuedAndWorkFinishesInTime_EachQueuedRequestCompletes()
    {
        using var factory = CreateServer(TimeSpan.FromSeconds(30));
        Uri address = factory.StartKestrel();
        using var client = new HttpClient { BaseAddress = address };
        WorkerPool pool = factory.Services.GetRequiredService<WorkerPool>();
        IWorkerPoolProvider provider = factory.Services.GetRequiredService<IWorkerPoolProvider>();
        BlockedPool blocked = await BlockedPool.BlockAsync(pool);
        Task<HttpResponseMessage>[] requests = [.. Enumerable.Range(0, 5).Select(i => client.PostAsJsonAsync("/hash", new { password = $"p{i}" }))];
        await TestTimeouts.WaitUntilAsync(() => pool.GetStats().QueueDepth == 5, "five requests queued");

        Task stop = factory.Services.GetRequiredService<IHost>().StopAsync();
        await TestTimeouts.WaitUntilAsync(() => provider.IsShutdownRequested(WorkerPoolDefaults.PoolName), "the drain to begin");
        await blocked.DisposeAsync(); // the worker is free again: the queued jobs run during the drain
        HttpResponseMessage[] responses = await Task.WhenAll(requests).WaitOrFailAsync("every queued request to be answered");
        await stop.WaitOrFailAsync("the host to stop");

        Assert.All(responses, static r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(0, pool.GetStats().Canceled);
        foreach (HttpResponseMessage response in responses)
        {
            response.Dispose();
        }
    }

    private static SampleServerFactory CreateServer(TimeSpan shutdownTimeout)
        => new(
            SampleServerFactory.FastHashingWith(("WorkerPool:WorkerCount", "1"), ("WorkerPool:QueueCapacity", "16"), ("WorkerPool:FullMode", "Wait")),
            useKestrel: true,
            configureServices: services => services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout));
}
