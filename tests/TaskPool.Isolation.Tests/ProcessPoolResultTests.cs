namespace TaskPool.Isolation.Tests;

/// <summary>Behaviour 2: results and errors.</summary>
[Collection(IsolationCollection.Name)]
public sealed class ProcessPoolResultTests
{
    [Fact]
    public async Task RunAsync_ZeroOneAndSixtyFourMebibytes_RoundTripExactly()
    {
        var pool = new ProcessPool(TestWorker.Options());
        await using PoolScope scope = TestWorker.Own(pool);
        foreach (int size in new[] { 0, 1, 64 << 20 })
        {
            byte[] input = new byte[size];
            new Random(size).NextBytes(input);

            byte[] output = await pool.RunAsync("echo", input).WaitOrFailAsync($"echo of {size} bytes");

            Assert.Equal(size, output.Length);
            Assert.True(input.AsSpan().SequenceEqual(output), $"echo of {size} bytes changed the bytes");
        }

        Assert.Equal(3, pool.GetStats().Completed);
    }

    [Fact]
    public async Task RunAsync_HandlerThrows_RemoteJobExceptionWithTypeMessageAndStackAndChildSurvives()
    {
        var pool = new ProcessPool(TestWorker.Options());
        await using PoolScope scope = TestWorker.Own(pool);
        int pid = pool.GetProcessIds().Single();

        RemoteJobException exception = await TestTimeouts.ThrowsWithinAsync<RemoteJobException>(pool.RunAsync("throw", default), "the throwing job");

        Assert.Equal("System.InvalidOperationException", exception.RemoteType);
        Assert.Equal("boom from the child", exception.RemoteMessage);
        Assert.Contains("Handlers", exception.RemoteStackTrace);
        Assert.Equal(pid, exception.ProcessId);
        Assert.Equal(pid, TestWorker.Pid(await pool.RunAsync("pid", default).WaitOrFailAsync("the next job")));
        ProcessPoolStats stats = pool.GetStats();
        Assert.Equal(1, stats.Faulted);
        Assert.Equal(0, stats.Restarts);
    }

    [Fact]
    public async Task RunAsync_UnknownJobName_ClearErrorToTheCallerAndNoCrash()
    {
        var pool = new ProcessPool(TestWorker.Options());
        await using PoolScope scope = TestWorker.Own(pool);
        int pid = pool.GetProcessIds().Single();

        RemoteJobException exception = await TestTimeouts.ThrowsWithinAsync<RemoteJobException>(pool.RunAsync("no-such-job", default), "the unknown job");

        Assert.Equal("System.Collections.Generic.KeyNotFoundException", exception.RemoteType);
        Assert.Contains("'no-such-job'", exception.Message);
        Assert.Contains("echo", exception.Message); // the mapped names are listed
        Assert.Equal(pid, TestWorker.Pid(await pool.RunAsync("pid", default).WaitOrFailAsync("the next job")));
        Assert.Equal(0, pool.GetStats().Crashed);
    }
}
