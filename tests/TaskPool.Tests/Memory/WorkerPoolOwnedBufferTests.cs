namespace TaskPool.Tests.Memory;

[Collection(OwnedBufferCountsCollection.Name)]
public sealed class WorkerPoolOwnedBufferTests
{
    [Fact]
    public async Task RunAsync_OwnedBuffer_JobSeesTheSameMemoryAndCallersHandleIsDetached()
    {
        using var counts = new OwnedBufferCounts();
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        long rented = counts.Rented, returned = counts.Returned;
        var buffer = OwnedBuffer<byte>.Rent(1024);
        buffer.Span.Fill(7);

        ValueTask<int> job = pool.RunAsync(buffer, static (owner, ct) => owner.Span[1023] + owner.Length);

        Assert.True(buffer.IsDetached);
        Assert.Equal(7 + 1024, await job);
        Assert.Equal(1, counts.Rented - rented);
        Assert.Equal(1, counts.Returned - returned);
    }

    [Fact]
    public async Task RunAsync_JobMovesTheBufferIntoItsResult_CallerOwnsItAgain()
    {
        using var counts = new OwnedBufferCounts();
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        long returned = counts.Returned;
        var buffer = OwnedBuffer<int>.Rent(16);

        using OwnedBuffer<int> back = await pool.RunAsync(buffer, static (owner, ct) =>
        {
            owner.Span.Fill(3);
            return owner.Transfer();
        });

        Assert.Equal(counts.Returned, returned); // not returned while the caller owns it
        Assert.Equal(3, back.Span[15]);
    }

    [Fact]
    public async Task RunAsync_OwnedBufferOnEveryFailurePath_PooledMemoryReturnedExactlyOnce()
    {
        using var counts = new OwnedBufferCounts();
        long rented = counts.Rented, returned = counts.Returned;

        // The job throws.
        await using (var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 }))
        {
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await pool.RunAsync(OwnedBuffer<byte>.Rent(64), static (o, ct) => Throws.Value<int>(new InvalidOperationException())));
        }

        // Canceled while queued, rejected, then drained by a forced shutdown.
        var gate = new ManualResetEventSlim();
        var pool2 = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 3, FullMode = QueueFullMode.Reject });
        using var started = new ManualResetEventSlim();
        ValueTask<int> blocker = pool2.RunAsync((gate, started), static (s, ct) =>
        {
            s.started.Set();
            s.gate.Wait(ct);
            return 0;
        });
        started.WaitOrFail("the blocker");
        using var cts = new CancellationTokenSource();
        Task<int> canceled = pool2.RunAsync(OwnedBuffer<byte>.Rent(64), static (o, ct) => 1, cts.Token).AsTask();
        Task<int> drained = pool2.RunAsync(OwnedBuffer<byte>.Rent(64), static (o, ct) => 1).AsTask();
        var third = OwnedBuffer<byte>.Rent(64);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        Task<int> filler = pool2.RunAsync(OwnedBuffer<byte>.Rent(64), static (o, ct) => 1).AsTask(); // the canceled job freed its slot at once
        Task<int> filler2 = pool2.RunAsync(OwnedBuffer<byte>.Rent(64), static (o, ct) => 1).AsTask(); // fills the queue
        Assert.Throws<WorkerPoolSaturatedException>(() => pool2.RunAsync(third, static (o, ct) => 1));
        Assert.True(third.IsDetached);
        using var now = new CancellationTokenSource();
        now.Cancel();
        await pool2.ShutdownAsync(now.Token).WaitOrFailAsync("forced shutdown");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => drained);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => filler);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => filler2);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await blocker);

        // Refused because the pool is shut down.
        var late = OwnedBuffer<byte>.Rent(64);
        Assert.Throws<ObjectDisposedException>(() => pool2.RunAsync(late, static (o, ct) => 1));
        Assert.True(late.IsDetached);

        // Timed out, with the buffer moved into a result that arrives late.
        await using (var pool3 = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1, JobTimeout = TimeSpan.FromMilliseconds(10) }))
        {
            await Assert.ThrowsAsync<WorkerPoolJobTimeoutException>(async () => await pool3.RunAsync(OwnedBuffer<byte>.Rent(64), static (o, ct) =>
            {
                ct.WaitHandle.WaitOne(TestTimeouts.Hang);
                Thread.Sleep(20);
                return o.Transfer();
            }));
        }

        gate.Dispose();
        Assert.Equal(8, counts.Rented - rented);
        TestTimeouts.WaitUntil(() => counts.Returned - returned == 8, "every rented buffer to be returned");
    }

    [Fact]
    public async Task RunAsync_OwnedBufferWithState_JobGetsBothAndTheBufferIsReturnedOnce()
    {
        using var counts = new OwnedBufferCounts();
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        long rented = counts.Rented, returned = counts.Returned;
        var buffer = OwnedBuffer<byte>.Rent(100);
        buffer.Span.Fill(2);

        int sum = await pool.RunAsync(buffer, (Factor: 3, Offset: 1), static (owner, s, ct) => owner.Span[99] * s.Factor + s.Offset);
        await Assert.ThrowsAsync<FormatException>(async () => await pool.RunAsync(OwnedBuffer<byte>.Rent(8), 0, static (owner, s, ct) => Throws.Value<int>(new FormatException())));

        Assert.Equal(7, sum);
        Assert.True(buffer.IsDetached);
        Assert.Equal(2, counts.Rented - rented);
        Assert.Equal(2, counts.Returned - returned);
    }

    [Fact]
    public async Task RunAsync_DetachedBuffer_ThrowsObjectDisposed()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        var buffer = OwnedBuffer<byte>.Rent(8);
        using OwnedBuffer<byte> moved = buffer.Transfer();

        Assert.Throws<ObjectDisposedException>(() => pool.RunAsync(buffer, static (o, ct) => 1));
        Assert.Throws<ArgumentNullException>(() => pool.RunAsync<byte, int>(null!, static (o, ct) => 1));
    }
}
