using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskPool.AspNetCore.Internal;

namespace TaskPool.AspNetCore.Tests.Hosting;

public sealed class WorkerPoolHostedServiceTests
{
    [Fact]
    public async Task StopAsync_JobsQueued_RefusesNewJobsAndRunsEveryQueuedOne()
    {
        using IHost host = BuildHost(TimeSpan.FromSeconds(30));
        await host.StartAsync();
        WorkerPool pool = host.Services.GetRequiredService<WorkerPool>();
        IWorkerPoolProvider provider = host.Services.GetRequiredService<IWorkerPoolProvider>();
        await using BlockedPool blocked = await BlockedPool.BlockAsync(pool);
        Task<int>[] queued = [.. Enumerable.Range(0, 5).Select(i => pool.RunAsync(i, static (x, ct) => x * 10).AsTask())];

        Task stop = host.StopAsync();
        await TestTimeouts.WaitUntilAsync(() => provider.IsShutdownRequested(WorkerPoolDefaults.PoolName), "the drain to begin");
        Assert.Throws<ObjectDisposedException>(() => pool.RunAsync(static ct => 0));
        blocked.Release();
        await stop.WaitOrFailAsync("the host to stop");

        for (int i = 0; i < queued.Length; i++)
        {
            Assert.Equal(i * 10, await queued[i]);
        }
    }

    [Fact]
    public async Task StopAsync_ShutdownTimeoutElapses_QueuedJobsCompleteCanceledAndTheHostStops()
    {
        using IHost host = BuildHost(TimeSpan.FromMilliseconds(300));
        await host.StartAsync();
        WorkerPool pool = host.Services.GetRequiredService<WorkerPool>();
        await using BlockedPool blocked = await BlockedPool.BlockAsync(pool); // honours its token: the forced shutdown ends it
        Task<int>[] queued = [.. Enumerable.Range(0, 3).Select(i => pool.RunAsync(i, static (x, ct) => x).AsTask())];

        await host.StopAsync().WaitOrFailAsync("the host to stop");

        foreach (Task<int> job in queued)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.WaitOrFailAsync("a queued job to complete"));
        }

        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(4, stats.Canceled); // the blocker and the three queued jobs
        Assert.Equal(stats.Submitted, stats.Completed + stats.Faulted + stats.Canceled);
    }

    [Theory]
    [InlineData(30_000, 28_000)] // a tenth is 3 s: the reserve is capped at 2 s
    [InlineData(5_000, 4_500)]
    [InlineData(1_000, 500)] // a tenth is 100 ms: too little to answer, the reserve is at least 500 ms
    [InlineData(300, 150)] // never more than half the timeout
    public void GetDrainTimeout_ShutdownTimeout_LeavesAReserveToAnswerCanceledRequests(int shutdownMs, int expectedDrainMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedDrainMs), WorkerPoolHostedService.GetDrainTimeout(TimeSpan.FromMilliseconds(shutdownMs)));
        Assert.Equal(Timeout.InfiniteTimeSpan, WorkerPoolHostedService.GetDrainTimeout(Timeout.InfiniteTimeSpan));
    }

    private static IHost BuildHost(TimeSpan shutdownTimeout)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout);
        builder.Services.AddWorkerPool(static o =>
        {
            o.WorkerCount = 1;
            o.QueueCapacity = 16;
        });
        return builder.Build();
    }
}
