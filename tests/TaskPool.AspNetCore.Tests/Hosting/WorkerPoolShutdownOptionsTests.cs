using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace TaskPool.AspNetCore.Tests.Hosting;

/// <summary>The readiness delay's configuration and its effect on the host's shutdown timeout.</summary>
public sealed class WorkerPoolShutdownOptionsTests
{
    [Theory]
    [InlineData(null, 35)] // the default 5 s delay is added to the 30 s timeout
    [InlineData("00:00:02", 32)]
    [InlineData("00:00:00", 30)] // disabled
    public void ConfigureWorkerPoolShutdown_ReadinessDelayConfigured_RaisesHostShutdownTimeoutByIt(string? configured, int expectedSeconds)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(configured is null ? [] : [new("Shutdown:ReadinessDelay", configured)])
            .Build();
        var services = new ServiceCollection();
        services.Configure<HostOptions>(static o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        services.AddWorkerPool(static _ => { });
        services.ConfigureWorkerPoolShutdown(configuration.GetSection("Shutdown"), defaultReadinessDelay: TimeSpan.FromSeconds(5));
        using ServiceProvider provider = services.BuildServiceProvider();

        TimeSpan timeout = provider.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), timeout);
    }

    [Fact]
    public void ConfigureWorkerPoolShutdown_NegativeDelay_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddWorkerPool(static _ => { });
        services.ConfigureWorkerPoolShutdown(static o => o.ReadinessDelay = TimeSpan.FromSeconds(-1));
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WorkerPoolShutdownOptions>>().Value);
    }
}
