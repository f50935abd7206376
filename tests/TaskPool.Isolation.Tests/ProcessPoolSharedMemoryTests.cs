namespace TaskPool.Isolation.Tests;

/// <summary>Behaviour 7: payloads of 1 MiB and more travel through /dev/shm, and every mapping is removed on every path.</summary>
[Collection(IsolationCollection.Name)]
public sealed class ProcessPoolSharedMemoryTests
{
    private const int Big = 2 << 20;

    [Fact]
    public async Task RunAsync_InputOfOneMebibyteOrMore_TravelsThroughSharedMemoryUntilTheJobEnds()
    {
        Assert.Empty(TestWorker.SharedMappings());
        var pool = new ProcessPool(TestWorker.Options());
        await using PoolScope scope = TestWorker.Own(pool);
        using var cancellation = new CancellationTokenSource();

        ValueTask<byte[]> small = pool.RunAsync("echo", new byte[(1 << 20) - 1]);
        await small.WaitOrFailAsync("a job just under the threshold");
        Assert.Empty(TestWorker.SharedMappings());

        ValueTask<byte[]> holding = pool.RunAsync("hold", new byte[1 << 20], cancellation.Token);
        TestTimeouts.WaitUntil(() => TestWorker.SharedMappings() is [var file] && new FileInfo(file).Length == 1 << 20, "the input mapping to be written in full");
        Assert.EndsWith("-in", TestWorker.SharedMappings().Single());
        TestTimeouts.WaitUntil(() => pool.GetStats().BusyProcesses == 1, "the job to be sent to the child");
        cancellation.Cancel();
        await TestTimeouts.ThrowsWithinAsync<OperationCanceledException>(holding, "the holding job to be canceled");
        TestTimeouts.WaitUntil(() => pool.GetStats().BusyProcesses == 0, "the slot to be idle");
        Assert.Empty(TestWorker.SharedMappings());
    }

    [Fact]
    public async Task SharedMappings_SuccessCrashTimeoutAndShutdown_NoneLeftInDevShm()
    {
        string[] before = TestWorker.SharedMappings();
        ProcessPoolOptions options = TestWorker.Options();
        options.JobTimeout = TimeSpan.FromSeconds(1);
        var pool = new ProcessPool(options);
        byte[] big = new byte[Big];
        Random.Shared.NextBytes(big);

        byte[] echoed = await pool.RunAsync("echo", big).WaitOrFailAsync("a big echo"); // success, through shared memory both ways
        Assert.True(big.AsSpan().SequenceEqual(echoed));
        await TestTimeouts.ThrowsWithinAsync<WorkerProcessCrashedException>(pool.RunAsync("exit3", big), "a crash with a big input");
        await TestTimeouts.ThrowsWithinAsync<TimeoutException>(pool.RunAsync("hang", big), "a timeout with a big input");
        Assert.Empty(TestWorker.SharedMappings());

        ValueTask<byte[]> running = pool.RunAsync("hang", big);
        ValueTask<byte[]> queued = pool.RunAsync("echo", big);
        TestTimeouts.WaitUntil(() => TestWorker.SharedMappings().Length == 1, "the running job's input mapping");
        await pool.ShutdownAsync(new CancellationToken(canceled: true)).WaitAsync(TestTimeouts.Hang);
        await TestTimeouts.ThrowsWithinAsync<OperationCanceledException>(running, "the running job to be canceled by the forced shutdown");
        await TestTimeouts.ThrowsWithinAsync<OperationCanceledException>(queued, "the queued job to be canceled by the forced shutdown");

        // Counted by this test process's prefix: other programs on the machine may add and remove /dev/shm entries meanwhile.
        Assert.Empty(before);
        Assert.Empty(TestWorker.SharedMappings());
    }
}
