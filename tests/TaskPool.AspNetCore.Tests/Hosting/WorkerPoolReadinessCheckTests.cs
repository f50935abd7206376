using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace TaskPool.AspNetCore.Tests.Hosting;

public sealed class WorkerPoolReadinessCheckTests
{
    [Fact]
    public async Task CheckHealthAsync_BeforeStartRunningAndStopping_UnhealthyHealthyUnhealthy()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddWorkerPool(static o => o.WorkerCount = 1);
        builder.Services.ConfigureWorkerPoolShutdown(static o => o.ReadinessDelay = TimeSpan.FromHours(1));
        builder.Services.AddHealthChecks().AddWorkerPoolReadinessCheck();
        using IHost host = builder.Build();
        var checks = host.Services.GetRequiredService<HealthCheckService>();
        IWorkerPoolProvider provider = host.Services.GetRequiredService<IWorkerPoolProvider>();

        HealthStatus beforeStart = (await checks.CheckHealthAsync()).Status;
        await host.StartAsync();
        HealthStatus running = (await checks.CheckHealthAsync()).Status;
        using var stopToken = new CancellationTokenSource();
        Task stop = host.StopAsync(stopToken.Token);
        await TestTimeouts.WaitUntilAsync(async () => (await checks.CheckHealthAsync()).Status == HealthStatus.Unhealthy, "readiness to turn unhealthy");
        bool drainBegunDuringDelay = provider.IsShutdownRequested(WorkerPoolDefaults.PoolName);
        await stopToken.CancelAsync(); // the host's stop token ends the delay: the drain begins at once
        await stop.WaitOrFailAsync("the host to stop");

        Assert.Equal(HealthStatus.Unhealthy, beforeStart);
        Assert.Equal(HealthStatus.Healthy, running);
        Assert.False(drainBegunDuringDelay); // unready at once; the drain waits for the delay (an hour here) or the host's stop token
        Assert.True(provider.IsShutdownRequested(WorkerPoolDefaults.PoolName));
    }
}
