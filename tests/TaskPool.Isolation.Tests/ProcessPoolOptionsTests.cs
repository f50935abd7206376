namespace TaskPool.Isolation.Tests;

/// <summary>Behaviour 8: options defaults and validation, like WorkerPoolOptions.</summary>
public sealed class ProcessPoolOptionsTests
{
    [Fact]
    public void Defaults_OnThisMachine_LeaveOneCoreAndSixteenSlotsPerProcess()
    {
        var options = new ProcessPoolOptions();

        Assert.Equal("default", options.Name);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount - 1), options.ProcessCount);
        Assert.Equal(options.ProcessCount * 16, options.QueueCapacity);
        Assert.Equal(QueueFullMode.Wait, options.FullMode);
        Assert.Null(options.JobTimeout);
        Assert.Null(options.MemoryLimitBytes);
        Assert.Null(options.MaxJobsPerProcess);
        Assert.Null(options.WorkerPath);
        Assert.Empty(options.WorkerArguments);
    }

    public static TheoryData<Action<ProcessPoolOptions>, string> OutOfRange => new()
    {
        { o => o.ProcessCount = 0, "ProcessCount" },
        { o => o.ProcessCount = ProcessPoolOptions.MaxProcessCount + 1, "ProcessCount" },
        { o => o.QueueCapacity = 0, "QueueCapacity" },
        { o => o.FullMode = (QueueFullMode)42, "FullMode" },
        { o => o.JobTimeout = TimeSpan.Zero, "JobTimeout" },
        { o => o.MemoryLimitBytes = 1 << 20, "MemoryLimitBytes" },
        { o => o.MaxJobsPerProcess = 0, "MaxJobsPerProcess" },
        { o => o.CancelGracePeriod = TimeSpan.FromTicks(-1), "CancelGracePeriod" },
        { o => o.StartTimeout = TimeSpan.Zero, "StartTimeout" },
        { o => o.MaxRestartDelay = TimeSpan.FromTicks(-1), "MaxRestartDelay" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Constructor_OptionOutOfRange_ThrowsNamingTheOption(Action<ProcessPoolOptions> change, string option)
    {
        var options = new ProcessPoolOptions();
        change(options);

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPool(options));

        Assert.Equal(option, exception.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Constructor_EmptyName_ThrowsNamingTheOption(string name)
    {
        var exception = Assert.Throws<ArgumentException>(() => new ProcessPool(new ProcessPoolOptions { Name = name }));

        Assert.Equal("Name", exception.ParamName);
    }

    [Fact]
    public void Constructor_NullOptions_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => new ProcessPool(null!));
    }

    [Fact]
    public void Constructor_WorkerPathMissing_ThrowsFromTheConstructor()
    {
        var options = new ProcessPoolOptions { ProcessCount = 1, WorkerPath = "/nonexistent/taskpool-worker" };

        Assert.ThrowsAny<Exception>(() => new ProcessPool(options));
    }

    [Fact]
    public async Task RunAsync_EmptyJobName_ThrowsArgumentException()
    {
        var pool = new ProcessPool(TestWorker.Options());
        await using PoolScope scope = TestWorker.Own(pool);

        Assert.Throws<ArgumentException>(() => pool.RunAsync("", default));
        Assert.Throws<ArgumentNullException>(() => pool.RunAsync(null!, default));
    }

    [Fact]
    public async Task RunAsync_MaxJobsPerProcess_RecyclesTheChild()
    {
        ProcessPoolOptions options = TestWorker.Options();
        options.MaxJobsPerProcess = 2;
        var pool = new ProcessPool(options);
        await using PoolScope scope = TestWorker.Own(pool);

        int[] pids = new int[4];
        for (int i = 0; i < pids.Length; i++)
        {
            pids[i] = TestWorker.Pid(await pool.RunAsync("pid", default).WaitOrFailAsync($"job {i}"));
        }

        Assert.Equal(pids[0], pids[1]);
        Assert.NotEqual(pids[1], pids[2]);
        Assert.Equal(pids[2], pids[3]);
        Assert.Equal(0, pool.GetStats().Crashed);
        Assert.True(pool.GetStats().Restarts >= 1);
    }
}
