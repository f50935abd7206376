using System.Text;

namespace TaskPool.Isolation.Tests;

/// <summary>Behaviour 6: handlers' console output cannot corrupt the protocol; garbage is the child's crash.</summary>
[Collection(IsolationCollection.Name)]
public sealed class ProcessPoolOutputTests
{
    [Fact]
    public async Task RunAsync_HandlerWritesToConsole_ResultIntactAndLinesLoggedWithChildPid()
    {
        var log = new ListLoggerFactory();
        ProcessPoolOptions options = TestWorker.Options();
        options.LoggerFactory = log;
        var pool = new ProcessPool(options);
        await using PoolScope scope = TestWorker.Own(pool);
        int pid = pool.GetProcessIds().Single();

        byte[] result = await pool.RunAsync("console", default).WaitOrFailAsync("the noisy job");

        Assert.Equal("clean", Encoding.UTF8.GetString(result));
        foreach (string noise in new[] { "noise on Console.Out", "noise on Console.Error", "noise on the stdout stream", "noise written to fd 1 by native code" })
        {
            TestTimeouts.WaitUntil(() => log.Entries.Any(e => e.Message.Contains($"child {pid}]", StringComparison.Ordinal) && e.Message.EndsWith(noise, StringComparison.Ordinal)), $"'{noise}' to be logged with the child's pid");
        }

        Assert.Equal(pid, TestWorker.Pid(await pool.RunAsync("pid", default).WaitOrFailAsync("the next job")));
        Assert.Equal(0, pool.GetStats().Crashed);
    }

    [Theory]
    [InlineData("garbage", "absurd frame length")]
    [InlineData("badframe", "unknown frame type")]
    public async Task RunAsync_ChildWritesGarbageOnTheProtocol_CountsAsThatChildsCrash(string jobName, string expected)
    {
        var pool = new ProcessPool(TestWorker.Options());
        await using PoolScope scope = TestWorker.Own(pool);
        int pid = pool.GetProcessIds().Single();

        WorkerProcessCrashedException exception = await TestTimeouts.ThrowsWithinAsync<WorkerProcessCrashedException>(pool.RunAsync(jobName, default), "the garbage to be detected");

        Assert.Contains(expected, exception.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(pid, exception.ProcessId);
        TestTimeouts.WaitUntil(() => TestWorker.IsGone(pid), "the misbehaving child to be killed");
        Assert.Equal([7], await pool.RunAsync("echo", new byte[] { 7 }).WaitOrFailAsync("a job on the replacement"));
        Assert.Equal(1, pool.GetStats().Crashed);
    }
}
