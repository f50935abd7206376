using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace TaskPool.AspNetCore.Tests.Hosting;

public sealed class WorkerPoolHealthCheckTests
{
    [Fact]
    public async Task CheckHealthAsync_IdlePool_HealthyWithTheStatsInTheData()
    {
        using IHost host = await StartHostAsync(TimeSpan.Zero);

        HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        HealthReportEntry entry = report.Entries["workerpool:default"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(1, entry.Data["workerCount"]);
        Assert.Equal(4, entry.Data["queueCapacity"]);
        Assert.Equal(0, entry.Data["queueDepth"]);
        await host.StopAsync();
    }

    [Fact]
    public async Task CheckHealthAsync_QueueAboveFractionForDegradedAfter_Degraded()
    {
        using IHost host = await StartHostAsync(TimeSpan.Zero);
        WorkerPool pool = host.Services.GetRequiredService<WorkerPool>();
        var checks = host.Services.GetRequiredService<HealthCheckService>();
        await using BlockedPool blocked = await BlockedPool.BlockAsync(pool);
        var queued = Enumerable.Range(0, 4).Select(_ => pool.RunAsync(static ct => 0).AsTask()).ToArray(); // 4/4 > 0.5

        HealthReport report = await checks.CheckHealthAsync();

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal(4, report.Entries["workerpool:default"].Data["queueDepth"]);
        blocked.Release();
        await Task.WhenAll(queued).WaitOrFailAsync("the queued jobs");
        Assert.Equal(HealthStatus.Healthy, (await checks.CheckHealthAsync()).Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task CheckHealthAsync_QueueAboveFractionNotYetForDegradedAfter_StillHealthy()
    {
        using IHost host = await StartHostAsync(TimeSpan.FromHours(1));
        WorkerPool pool = host.Services.GetRequiredService<WorkerPool>();
        await using BlockedPool blocked = await BlockedPool.BlockAsync(pool);
        var queued = Enumerable.Range(0, 3).Select(_ => pool.RunAsync(static ct => 0).AsTask()).ToArray();

        HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status); // above the threshold, but it has not stayed there for an hour
        Assert.True(report.Entries["workerpool:default"].Data.ContainsKey("queueAboveThresholdFor"));
        blocked.Release();
        await Task.WhenAll(queued).WaitOrFailAsync("the queued jobs");
        await host.StopAsync();
    }

    [Fact]
    public async Task CheckHealthAsync_AfterShutdownBegan_Unhealthy()
    {
        using IHost host = await StartHostAsync(TimeSpan.Zero);
        var checks = host.Services.GetRequiredService<HealthCheckService>();

        await host.StopAsync();
        HealthReport report = await checks.CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("shutting down", report.Entries["workerpool:default"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_StuckBeyondTheReplacementBound_UnhealthyUntilTheJobReturns()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWorkerPool(static o =>
        {
            o.WorkerCount = 1;
            o.JobTimeout = TimeSpan.FromMilliseconds(10);
            o.StuckJobGracePeriod = TimeSpan.FromMilliseconds(20);
            o.MaxStuckWorkerReplacements = 0;
        });
        builder.Services.AddHealthChecks().AddWorkerPoolHealthCheck();
        using IHost host = builder.Build();
        await host.StartAsync();
        WorkerPool pool = host.Services.GetRequiredService<WorkerPool>();
        var checks = host.Services.GetRequiredService<HealthCheckService>();
        using var release = new ManualResetEventSlim();
        Task<int> runaway = pool.RunAsync(release, static (r, ct) =>
        {
            r.Wait(TimeSpan.FromSeconds(30)); // ignores its token
            return 1;
        }).AsTask();
        await Assert.ThrowsAsync<WorkerPoolJobTimeoutException>(() => runaway);
        Assert.True(SpinWait.SpinUntil(() => pool.GetStats().StuckWorkers == 1, TimeSpan.FromSeconds(30)));

        HealthReport report = await checks.CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("stuck", report.Entries["workerpool:default"].Description, StringComparison.Ordinal);
        release.Set();
        Assert.True(SpinWait.SpinUntil(() => pool.GetStats().StuckWorkers == 0, TimeSpan.FromSeconds(30)));
        Assert.Equal(HealthStatus.Healthy, (await checks.CheckHealthAsync()).Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddWorkerPoolHealthCheck_FractionOutOfRange_FailsStart()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWorkerPool(static o => o.WorkerCount = 1);
        builder.Services.AddHealthChecks().AddWorkerPoolHealthCheck(configure: static o => o.DegradedQueueFraction = 1.5);
        using IHost host = builder.Build();

        var exception = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("DegradedQueueFraction", exception.Message, StringComparison.Ordinal);
    }

    private static async Task<IHost> StartHostAsync(TimeSpan degradedAfter)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWorkerPool(static o =>
        {
            o.WorkerCount = 1;
            o.QueueCapacity = 4;
        });
        builder.Services.AddHealthChecks().AddWorkerPoolHealthCheck(configure: o =>
        {
            o.DegradedQueueFraction = 0.5;
            o.DegradedAfter = degradedAfter;
        });
        IHost host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
