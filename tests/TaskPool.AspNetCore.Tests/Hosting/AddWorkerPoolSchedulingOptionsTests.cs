using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace TaskPool.AspNetCore.Tests.Hosting;

/// <summary>The scheduling settings (<c>MaxQueuedPerKey</c>, <c>PriorityAging</c>) bound from configuration and validated at start-up.</summary>
public sealed class AddWorkerPoolSchedulingOptionsTests
{
    [Fact]
    public async Task AddWorkerPool_SchedulingSettingsInConfiguration_BoundAndTheKeyLimitEnforcedByThePool()
    {
        using IHost host = await StartAsync(new Dictionary<string, string?>
        {
            ["WorkerPool:WorkerCount"] = "1",
            ["WorkerPool:QueueCapacity"] = "4",
            ["WorkerPool:FullMode"] = "Reject",
            ["WorkerPool:MaxQueuedPerKey"] = "1",
            ["WorkerPool:PriorityAging"] = "00:00:02.5",
        });
        WorkerPool pool = host.Services.GetRequiredService<WorkerPool>();
        WorkerPoolOptions options = host.Services.GetRequiredService<IOptionsMonitor<WorkerPoolOptions>>().Get(WorkerPoolDefaults.PoolName);
        await using BlockedPool blocked = await BlockedPool.BlockAsync(pool);

        ValueTask<int> first = pool.RunAsync(1, static (x, ct) => x, new JobOptions { FairnessKey = "a" });
        var refused = Assert.Throws<WorkerPoolSaturatedException>(() => pool.RunAsync(2, static (x, ct) => x, new JobOptions { FairnessKey = "a" }));
        ValueTask<int> other = pool.RunAsync(3, static (x, ct) => x, new JobOptions { FairnessKey = "b" });

        Assert.Equal(1, options.MaxQueuedPerKey);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.PriorityAging);
        Assert.Equal("a", refused.FairnessKey);
        blocked.Release();
        Assert.Equal(1, await first);
        Assert.Equal(3, await other);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddWorkerPool_SchedulingSettingsAbsent_NoKeyLimitAndOneSecondAging()
    {
        using IHost host = await StartAsync(new Dictionary<string, string?> { ["WorkerPool:WorkerCount"] = "1" });

        WorkerPoolOptions options = host.Services.GetRequiredService<IOptionsMonitor<WorkerPoolOptions>>().Get(WorkerPoolDefaults.PoolName);

        Assert.Null(options.MaxQueuedPerKey);
        Assert.Equal(TimeSpan.FromSeconds(1), options.PriorityAging);
        await host.StopAsync();
    }

    private static async Task<IHost> StartAsync(Dictionary<string, string?> settings)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddWorkerPool(builder.Configuration.GetSection(WorkerPoolDefaults.ConfigurationSectionName));
        IHost host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
