namespace TaskPool.Interleavings.Tests;

/// <summary>
/// The queue's own hand-shakes forced into their narrow windows: a cancellation that lands before the producer links its item, a slot
/// freed while a producer is between announcing that it waits and its last look, and a shutdown that seals the queue under a producer.
/// </summary>
public sealed class QueueInterleavingTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_CallerCancelsBeforeTheItemIsLinked_ItLeavesTheQueueAndFreesItsSlot()
    {
        using var script = new Script();
        await using var pool = ParkingInterleavingTests.NewPool("cancel-link", workers: 1);
        using var gate = new ManualResetEventSlim();
        using var releaseAtEnd = new Releaser(gate); // disposed before the pool: a failing assertion does not leave the worker blocked
        Task<int> blocker = Task.Run(() => pool.RunAsync(gate, static (g, ct) => { g.Wait(ct); return 0; }).AsTask());
        Assert.True(Script.WaitUntil(() => pool.GetStats().BusyWorkers == 1, s_bound));

        using var cts = new CancellationTokenSource();
        Script.Pause linking = script.PauseAt("JobQueue.Linking", thread => thread == "cancel-link producer");
        Task<int>? job = null;
        var producer = new Thread(() => job = pool.RunAsync(1, static (x, ct) => x, cts.Token).AsTask()) { Name = "cancel-link producer" };
        producer.Start();
        Assert.True(linking.WaitReached(s_bound), "the producer reaches the link");

        cts.Cancel(); // the callback finds the item not linked yet: it only completes the caller
        linking.Release();
        producer.Join();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job!.WaitAsync(s_bound));
        Assert.True(Script.WaitUntil(() => pool.GetStats().QueueDepth == 0, s_bound), "the producer took its canceled item out again");
        gate.Set();
        Assert.Equal(0, await blocker.WaitAsync(s_bound));
        ParkingInterleavingTests.AssertAtRest(pool);
    }

    [Fact]
    public async Task RunAsync_SlotFreedWhileAProducerAnnouncesItWaits_TheProducerIsServed()
    {
        using var script = new Script();
        await using var pool = new WorkerPool(new WorkerPoolOptions { Name = "waiter-race", WorkerCount = 1, QueueCapacity = 1, SpinBeforeParking = TimeSpan.Zero });
        using var gate = new ManualResetEventSlim();
        using var releaseAtEnd = new Releaser(gate);
        ValueTask<int> blocker = pool.RunAsync(gate, static (g, ct) => { g.Wait(ct); return 0; });
        Assert.True(Script.WaitUntil(() => pool.GetStats().BusyWorkers == 1, s_bound));
        ValueTask<int> queued = pool.RunAsync(1, static (x, ct) => x); // fills the queue

        Script.Pause announced = script.PauseAt("CapacityWaiters.Announced");
        Task<int>? waiting = null;
        var producer = new Thread(() => waiting = pool.RunAsync(2, static (x, ct) => x).AsTask()) { Name = "waiter-race producer" };
        producer.Start();
        Assert.True(announced.WaitReached(s_bound), "the producer announces that it waits");

        gate.Set(); // the worker finishes the blocker and takes the queued job: a slot frees while the producer is mid-announcement
        Script.WaitUntil(() => script.Count("JobQueue.SlotFreed", _ => true) >= 1, Script.StepTimeout);
        announced.Release();
        producer.Join();

        Assert.Equal(0, await blocker);
        Assert.Equal(1, await queued);
        Assert.Equal(2, await waiting!.WaitAsync(s_bound));
        ParkingInterleavingTests.AssertAtRest(pool);
    }

    [Fact]
    public async Task ShutdownAsync_SealsTheQueueUnderAProducerAboutToLink_TheProducerIsRefusedAndNothingIsStranded()
    {
        using var script = new Script();
        var pool = ParkingInterleavingTests.NewPool("seal-race", workers: 2);
        Script.Pause linking = script.PauseAt("JobQueue.Linking", thread => thread == "seal-race producer");
        Exception? refused = null;
        Task<int>? accepted = null;
        var producer = new Thread(() =>
        {
            try
            {
                accepted = pool.RunAsync(1, static (x, ct) => x).AsTask();
            }
            catch (ObjectDisposedException exception)
            {
                refused = exception;
            }
        }) { Name = "seal-race producer" };
        producer.Start();
        Assert.True(linking.WaitReached(s_bound), "the producer passed the open check and is about to link");

        Task shutdown = pool.ShutdownAsync();
        Script.WaitUntil(() => script.Count("JobQueue.Sealed", _ => true) >= 1, Script.StepTimeout);
        linking.Release();
        producer.Join();

        Assert.True(await Task.WhenAny(shutdown, Task.Delay(s_bound)) == shutdown, $"the shutdown completes; trace:{Environment.NewLine}{script.Trace}");
        Assert.True(refused is not null || (accepted is not null && await accepted.WaitAsync(s_bound) == 1), "refused, or accepted and run: never stranded");
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(stats.Submitted, stats.Completed + stats.Canceled);
    }

    /// <summary>Sets a gate when disposed.</summary>
    private sealed class Releaser(ManualResetEventSlim gate) : IDisposable
    {
        public void Dispose() => gate.Set();
    }
}
