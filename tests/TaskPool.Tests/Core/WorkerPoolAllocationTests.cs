using System.Runtime.InteropServices;

namespace TaskPool.Tests.Core;

[Collection(NonParallelCollection.Name)]
public sealed class WorkerPoolAllocationTests
{
    private const int Jobs = 100_000;

    [Fact]
    public async Task RunAsync_StaticLambdaStructStateAwaited_AllocatesNothingPerJob()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        await RunSeriallyAsync(pool, 10_000); // warm-up: tiering, pooled items, the async method's box

        long before = GC.GetTotalAllocatedBytes(precise: true);
        long sum = await RunSeriallyAsync(pool, Jobs);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal((long)Jobs * (Jobs - 1) / 2 * 2, sum);
        Assert.True(allocated / (double)Jobs < 8, $"{allocated} bytes for {Jobs} jobs = {allocated / (double)Jobs:F2} B/job");
    }

    [Fact]
    public async Task RunAsync_BatchesOfAThousandAwaited_AllocatesNothingPerJob()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 1024 });
        var batch = new ValueTask<long>[1000];
        await RunBatchesAsync(pool, batch, 10); // warm-up fills the item pool

        long before = GC.GetTotalAllocatedBytes(precise: true);
        long sum = await RunBatchesAsync(pool, batch, Jobs / batch.Length);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(Jobs / batch.Length * (999L * 1000 / 2), sum);
        Assert.True(allocated / (double)Jobs < 8, $"{allocated} bytes for {Jobs} jobs = {allocated / (double)Jobs:F2} B/job");
    }

    [Fact]
    public async Task RunAsync_KeyedAndPrioritizedJobsAwaited_AllocatesNothingPerJob()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 1024, MaxQueuedPerKey = 512 });
        string[] keys = ["tenant-a", "tenant-b", "tenant-c"];
        var batch = new ValueTask<long>[300];
        await RunKeyedBatchesAsync(pool, batch, keys, 20); // warm-up: items, key objects and lanes are pooled after first use

        long before = GC.GetTotalAllocatedBytes(precise: true);
        long sum = await RunKeyedBatchesAsync(pool, batch, keys, Jobs / batch.Length);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(Jobs / batch.Length * (299L * 300 / 2), sum);
        Assert.True(allocated / (double)Jobs < 8, $"{allocated} bytes for {Jobs} jobs = {allocated / (double)Jobs:F2} B/job");
    }

    [Fact]
    public async Task RunManyAsync_LargeBatch_AllocatesNothingPerJob()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 256 });
        int[] inputs = Enumerable.Range(0, Jobs).ToArray();
        await SumManyAsync(pool, inputs.AsMemory(0, 50_000)); // warm-up: tiering of the batch's generic code, pooled items

        long before = GC.GetTotalAllocatedBytes(precise: true);
        long sum = await SumManyAsync(pool, inputs);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal((long)Jobs * (Jobs - 1) / 2, sum);
        Assert.True(allocated / (double)Jobs < 8, $"{allocated} bytes for {Jobs} jobs = {allocated / (double)Jobs:F2} B/job"); // the batch's own objects, once per call
    }

    private static async Task<long> SumManyAsync(WorkerPool pool, ReadOnlyMemory<int> inputs)
    {
        long sum = 0;
        await foreach (long value in pool.RunManyAsync(MemoryMarshal.ToEnumerable(inputs), static (x, ct) => (long)x, new RunManyOptions { MaxInFlight = 64 }))
        {
            sum += value;
        }

        return sum;
    }

    private static async Task<long> RunKeyedBatchesAsync(WorkerPool pool, ValueTask<long>[] batch, string[] keys, int batches)
    {
        long sum = 0;
        for (int b = 0; b < batches; b++)
        {
            for (int i = 0; i < batch.Length; i++)
            {
                var options = new JobOptions { FairnessKey = keys[i % keys.Length], Priority = (JobPriority)((i % 3) - 1) };
                batch[i] = pool.RunAsync(new Payload(i, 1), static (p, ct) => (long)p.Value * p.Factor, options);
            }

            for (int i = 0; i < batch.Length; i++)
            {
                sum += await batch[i];
            }
        }

        return sum;
    }

    private static async Task<long> RunSeriallyAsync(WorkerPool pool, int jobs)
    {
        long sum = 0;
        for (int i = 0; i < jobs; i++)
        {
            sum += await pool.RunAsync(new Payload(i, 2), static (p, ct) => (long)p.Value * p.Factor);
        }

        return sum;
    }

    private static async Task<long> RunBatchesAsync(WorkerPool pool, ValueTask<long>[] batch, int batches)
    {
        long sum = 0;
        for (int b = 0; b < batches; b++)
        {
            for (int i = 0; i < batch.Length; i++)
            {
                batch[i] = pool.RunAsync(new Payload(i, 1), static (p, ct) => (long)p.Value * p.Factor);
            }

            for (int i = 0; i < batch.Length; i++)
            {
                sum += await batch[i];
            }
        }

        return sum;
    }

    private readonly record struct Payload(int Value, int Factor);
}
