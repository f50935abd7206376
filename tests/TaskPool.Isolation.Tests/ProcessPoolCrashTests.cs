using System.Text.RegularExpressions;

namespace TaskPool.Isolation.Tests;

/// <summary>Behaviour 3: crashes stay in the child.</summary>
[Collection(IsolationCollection.Name)]
public sealed partial class ProcessPoolCrashTests
{
    [Theory]
    [InlineData("failfast", null, 6)]
    [InlineData("stackoverflow", null, 6)]
    [InlineData("abort", null, 6)]
    [InlineData("exit3", 3, null)]
    public async Task RunAsync_HandlerCrashesItsProcess_OnlyThatJobFailsAndQueuedJobsRunOnAReplacement(string jobName, int? exitCode, int? signal)
    {
        var pool = new ProcessPool(TestWorker.Options());
        await using PoolScope scope = TestWorker.Own(pool);
        int firstPid = pool.GetProcessIds().Single();

        ValueTask<byte[]> crashing = pool.RunAsync(jobName, default);
        ValueTask<byte[]> queued1 = pool.RunAsync("pid", default);
        ValueTask<byte[]> queued2 = pool.RunAsync("echo", new byte[] { 42 });

        WorkerProcessCrashedException exception = await TestTimeouts.ThrowsWithinAsync<WorkerProcessCrashedException>(crashing, $"the {jobName} job to fail");
        Assert.Equal(firstPid, exception.ProcessId);
        Assert.Equal(exitCode, exception.ExitCode);
        Assert.Equal(signal, exception.Signal);
        int secondPid = TestWorker.Pid(await queued1.WaitOrFailAsync("the first queued job"));
        Assert.NotEqual(firstPid, secondPid);
        Assert.Equal([42], await queued2.WaitOrFailAsync("the second queued job"));
        Assert.True(TestWorker.IsGone(firstPid));

        ProcessPoolStats stats = pool.GetStats();
        Assert.Equal(1, stats.Crashed);
        Assert.Equal(1, stats.Restarts);
        Assert.Equal(2, stats.Completed);
        Assert.Equal(stats.Submitted, stats.Completed + stats.Faulted + stats.Canceled + stats.TimedOut + stats.Crashed);
    }

    [Fact]
    public async Task RunAsync_CrashLoop_RestartsBackOffAtABoundedRateAndAreLogged()
    {
        var log = new ListLoggerFactory();
        ProcessPoolOptions options = TestWorker.Options();
        options.MaxRestartDelay = TimeSpan.FromMilliseconds(400);
        options.LoggerFactory = log;
        var pool = new ProcessPool(options);
        await using PoolScope scope = TestWorker.Own(pool);

        for (int i = 0; i < 5; i++)
        {
            await TestTimeouts.ThrowsWithinAsync<WorkerProcessCrashedException>(pool.RunAsync("exit3", default), $"crash {i}");
        }

        Assert.Equal([42], await pool.RunAsync("echo", new byte[] { 42 }).WaitOrFailAsync("a job after the crash loop"));
        TimeSpan[] delays = [.. log.Entries.Select(e => BackoffLine().Match(e.Message)).Where(m => m.Success).Select(m => TimeSpan.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(400)], delays);
        Assert.Equal(5, log.Entries.Count(e => e.Message.Contains("crashed while running exit3", StringComparison.Ordinal)));
        ProcessPoolStats stats = pool.GetStats();
        Assert.Equal(5, stats.Crashed);
        Assert.Equal(5, stats.Restarts);
    }

    [GeneratedRegex(@"restarts the child of slot 0 .* after a back-off of ([0-9:.]+);")]
    private static partial Regex BackoffLine();
}
