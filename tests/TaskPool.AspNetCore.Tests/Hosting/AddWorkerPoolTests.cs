using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace TaskPool.AspNetCore.Tests.Hosting;

public sealed class AddWorkerPoolTests
{
    [Fact]
    public async Task AddWorkerPool_ConfigurationSection_CreatesThePoolWithTheBoundSettingsAtStart()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WorkerPool:WorkerCount"] = "2",
            ["WorkerPool:QueueCapacity"] = "3",
            ["WorkerPool:FullMode"] = "Reject",
        });
        builder.Services.AddWorkerPool(builder.Configuration.GetSection(WorkerPoolDefaults.ConfigurationSectionName));

        using IHost host = builder.Build();
        await host.StartAsync();

        WorkerPool pool = host.Services.GetRequiredService<WorkerPool>();
        Assert.Equal(WorkerPoolDefaults.PoolName, pool.Name);
        Assert.Equal(2, pool.WorkerCount);
        Assert.Equal(3, pool.QueueCapacity);
        Assert.Equal(QueueFullMode.Reject, host.Services.GetRequiredService<IOptionsMonitor<WorkerPoolOptions>>().Get(WorkerPoolDefaults.PoolName).FullMode);
        Assert.Same(pool, host.Services.GetRequiredService<IWorkerPoolProvider>().GetPool(WorkerPoolDefaults.PoolName));
        Assert.Equal(42, await pool.RunAsync(static ct => 42));
        await host.StopAsync();
    }

    [Fact]
    public async Task AddWorkerPool_EnvironmentVariables_BindThroughDoubleUnderscoreNames()
    {
        string prefix = $"TASKPOOL_TEST_{Guid.NewGuid():N}_"; // unique: other tests running in parallel never see these variables
        Environment.SetEnvironmentVariable(prefix + "WorkerPool__WorkerCount", "3");
        Environment.SetEnvironmentVariable(prefix + "WorkerPool__QueueCapacity", "5");
        Environment.SetEnvironmentVariable(prefix + "WorkerPool__FullMode", "Reject");
        try
        {
            HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Configuration.AddEnvironmentVariables(prefix);
            builder.Services.AddWorkerPool(builder.Configuration.GetSection("WorkerPool"));

            using IHost host = builder.Build();
            await host.StartAsync();

            WorkerPool pool = host.Services.GetRequiredService<WorkerPool>();
            Assert.Equal(3, pool.WorkerCount);
            Assert.Equal(5, pool.QueueCapacity);
            Assert.Equal(QueueFullMode.Reject, host.Services.GetRequiredService<IOptionsMonitor<WorkerPoolOptions>>().Get(WorkerPoolDefaults.PoolName).FullMode);
            await host.StopAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "WorkerPool__WorkerCount", null);
            Environment.SetEnvironmentVariable(prefix + "WorkerPool__QueueCapacity", null);
            Environment.SetEnvironmentVariable(prefix + "WorkerPool__FullMode", null);
        }
    }

    [Theory]
    [InlineData("WorkerCount", "0")]
    [InlineData("WorkerCount", "5000")]
    [InlineData("QueueCapacity", "0")]
    [InlineData("SpinBeforeParking", "00:00:01")]
    [InlineData("MaxQueuedPerKey", "0")]
    [InlineData("MaxQueuedPerKey", "-3")]
    [InlineData("PriorityAging", "00:00:00")]
    [InlineData("PriorityAging", "02:00:00")]
    public async Task AddWorkerPool_InvalidSetting_FailsStartWithMessageNamingTheSetting(string setting, string value)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"WorkerPool:{setting}"] = value });
        builder.Services.AddWorkerPool(builder.Configuration.GetSection("WorkerPool"));
        using IHost host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"'WorkerPool:{setting}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"WorkerPool__{setting}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWorkerPool_InvalidSettingInCode_FailsStartNamingTheOptionAndThePool()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWorkerPool("images", static o => o.QueueCapacity = -1);
        using IHost host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("WorkerPoolOptions.QueueCapacity of worker pool 'images'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWorkerPool_UnknownFullMode_FailsStartNamingTheSetting()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["WorkerPool:FullMode"] = "Sometimes" });
        builder.Services.AddWorkerPool(builder.Configuration.GetSection("WorkerPool"));
        using IHost host = builder.Build();

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("WorkerPool:FullMode", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWorkerPool_NamedPools_ResolvedByNameThroughProviderAndKeyedServices()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWorkerPool(static o => o.WorkerCount = 1);
        builder.Services.AddWorkerPool("images", static o => o.WorkerCount = 2);
        using IHost host = builder.Build();
        await host.StartAsync();

        IWorkerPoolProvider provider = host.Services.GetRequiredService<IWorkerPoolProvider>();
        WorkerPool images = host.Services.GetRequiredKeyedService<WorkerPool>("images");

        Assert.Equal([WorkerPoolDefaults.PoolName, "images"], provider.PoolNames);
        Assert.Same(images, provider.GetPool("images"));
        Assert.Equal("images", images.Name);
        Assert.Equal(2, images.WorkerCount);
        Assert.Same(host.Services.GetRequiredService<WorkerPool>(), host.Services.GetRequiredKeyedService<WorkerPool>(WorkerPoolDefaults.PoolName));
        Assert.NotSame(images, host.Services.GetRequiredService<WorkerPool>());
        var unknown = Assert.Throws<InvalidOperationException>(() => provider.GetPool("video"));
        Assert.Contains("AddWorkerPool(\"video\"", unknown.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddWorkerPool_SameNameTwice_OnePoolWithBothConfigurations()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Pool:WorkerCount"] = "2" });
        builder.Services.AddWorkerPool("x", builder.Configuration.GetSection("Pool"));
        builder.Services.AddWorkerPool("x", static o => o.QueueCapacity = 7);
        using IHost host = builder.Build();
        await host.StartAsync();

        IWorkerPoolProvider provider = host.Services.GetRequiredService<IWorkerPoolProvider>();
        Assert.Equal(["x"], provider.PoolNames);
        Assert.Equal(2, provider.GetPool("x").WorkerCount);
        Assert.Equal(7, provider.GetPool("x").QueueCapacity);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddWorkerPool_PlainServiceProvider_PoolsWorkAndSynchronousDisposeShutsThemDown()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWorkerPool(static o => o.WorkerCount = 1);
        WorkerPool pool;
        using (ServiceProvider provider = services.BuildServiceProvider())
        {
            pool = provider.GetRequiredService<WorkerPool>();
            Assert.Equal(7, await pool.RunAsync(static ct => 7));
        }

        Assert.Throws<ObjectDisposedException>(() => pool.RunAsync(static ct => 0));
    }

    [Fact]
    public void AddWorkerPool_BadArguments_ThrowAtTheEntryPoint()
    {
        var services = new ServiceCollection();
        IConfiguration configuration = new ConfigurationBuilder().Build();

        Assert.Throws<ArgumentNullException>(() => WorkerPoolServiceCollectionExtensions.AddWorkerPool(null!, configuration));
        Assert.Throws<ArgumentNullException>(() => services.AddWorkerPool((IConfiguration)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddWorkerPool((Action<WorkerPoolOptions>)null!));
        Assert.Throws<ArgumentException>(() => services.AddWorkerPool(" ", configuration));
        Assert.Throws<ArgumentNullException>(() => services.AddWorkerPool(null!, static _ => { }));
    }
}
