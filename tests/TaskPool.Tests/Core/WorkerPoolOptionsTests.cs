namespace TaskPool.Tests.Core;

public sealed class WorkerPoolOptionsTests
{
    [Fact]
    public void Defaults_OnThisMachine_LeaveOneCoreAndSixtyFourSlotsPerWorker()
    {
        var options = new WorkerPoolOptions();

        Assert.Equal("default", options.Name);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount - 1), options.WorkerCount);
        Assert.Equal(options.WorkerCount * 64, options.QueueCapacity);
        Assert.Equal(QueueFullMode.Wait, options.FullMode);
        Assert.True(options.FlowExecutionContext);
    }

    [Fact]
    public void QueueCapacity_NotSet_FollowsWorkerCount()
    {
        var options = new WorkerPoolOptions { WorkerCount = 3 };

        Assert.Equal(192, options.QueueCapacity);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(WorkerPoolOptions.MaxWorkerCount + 1)]
    public void Constructor_WorkerCountOutOfRange_ThrowsNamingTheOption(int workerCount)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerPool(new WorkerPoolOptions { WorkerCount = workerCount }));

        Assert.Equal("WorkerCount", exception.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Constructor_QueueCapacityBelowOne_ThrowsNamingTheOption(int capacity)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerPool(new WorkerPoolOptions { QueueCapacity = capacity }));

        Assert.Equal("QueueCapacity", exception.ParamName);
    }

    [Fact]
    public void Constructor_UnknownFullMode_ThrowsNamingTheOption()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerPool(new WorkerPoolOptions { FullMode = (QueueFullMode)42 }));

        Assert.Equal("FullMode", exception.ParamName);
    }

    [Fact]
    public void Constructor_NegativeSpin_ThrowsNamingTheOption()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerPool(new WorkerPoolOptions { SpinBeforeParking = TimeSpan.FromTicks(-1) }));

        Assert.Equal("SpinBeforeParking", exception.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Constructor_EmptyName_ThrowsNamingTheOption(string name)
    {
        var exception = Assert.Throws<ArgumentException>(() => new WorkerPool(new WorkerPoolOptions { Name = name }));

        Assert.Equal("Name", exception.ParamName);
    }

    [Fact]
    public void Constructor_NullOptions_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => new WorkerPool(null!));
    }

    [Fact]
    public async Task Constructor_OptionsChangedAfterwards_PoolKeepsItsCopy()
    {
        var options = new WorkerPoolOptions { Name = "copy", WorkerCount = 1, QueueCapacity = 3 };
        await using var pool = new WorkerPool(options);

        options.WorkerCount = 7;
        options.Name = "changed";

        Assert.Equal(1, pool.WorkerCount);
        Assert.Equal("copy", pool.Name);
        Assert.Equal(3, pool.QueueCapacity);
    }

    [Fact]
    public async Task RunAsync_NullWork_ThrowsArgumentNullOnEveryOverload()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });

        Assert.Equal("work", Assert.Throws<ArgumentNullException>(() => pool.RunAsync<int, int>(1, null!)).ParamName);
        Assert.Equal("work", Assert.Throws<ArgumentNullException>(() => pool.RunAsync<int>((Func<CancellationToken, int>)null!)).ParamName);
        Assert.Equal("work", Assert.Throws<ArgumentNullException>(() => pool.RunAsync<int>(1, (Action<int, CancellationToken>)null!)).ParamName);
        Assert.Equal("work", Assert.Throws<ArgumentNullException>(() => pool.RunAsync((Action<CancellationToken>)null!)).ParamName);
        Assert.Equal("work", Assert.Throws<ArgumentNullException>(() => pool.TryRun<int, int>(1, null!, out _)).ParamName);
    }
}
