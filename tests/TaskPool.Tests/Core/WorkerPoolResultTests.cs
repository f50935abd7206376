using System.Runtime.CompilerServices;

namespace TaskPool.Tests.Core;

public sealed class WorkerPoolResultTests
{
    [Fact]
    public async Task RunAsync_StateAndFunc_ReturnsTheJobsValue()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 2 });

        int value = await pool.RunAsync((A: 20, B: 22), static (s, ct) => s.A + s.B);

        Assert.Equal(42, value);
    }

    [Fact]
    public async Task RunAsync_EveryOverload_RunsTheJob()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        var box = new StrongBox<int>();

        Assert.Equal(7, await pool.RunAsync(static ct => 7));
        await pool.RunAsync(box, static (b, ct) => b.Value += 1);
        await pool.RunAsync(ct => box.Value += 10);
        Assert.True(pool.TryRun(5, static (x, ct) => x * 2, out ValueTask<int> tried));
        Assert.Equal(10, await tried);

        Assert.Equal(11, box.Value);
    }

    [Fact]
    public async Task RunAsync_JobThrows_SameExceptionInstanceSurfacesAndWorkerSurvives()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        var thrown = new InvalidTimeZoneException("boom");
        int threadBefore = await pool.RunAsync(static ct => Environment.CurrentManagedThreadId);

        var caught = await Assert.ThrowsAsync<InvalidTimeZoneException>(async () => await pool.RunAsync(thrown, static (e, ct) => Throws.Value<int>(e)));
        int threadAfter = await pool.RunAsync(static ct => Environment.CurrentManagedThreadId);

        Assert.Same(thrown, caught);
        Assert.Equal(threadBefore, threadAfter);
        Assert.Equal(1, pool.GetStats().Faulted);
    }

    [Fact]
    public async Task RunAsync_VoidJobThrows_SameExceptionInstanceSurfaces()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        var thrown = new FormatException("bad");

        var caught = await Assert.ThrowsAsync<FormatException>(async () => await pool.RunAsync(thrown, static (e, ct) => throw e));

        Assert.Same(thrown, caught);
    }

    [Fact]
    public async Task RunAsync_JobThrowsOperationCanceledWithoutCancellation_CountsAsFaulted()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });

        await Assert.ThrowsAsync<OperationCanceledException>(async () => await pool.RunAsync(static ct => Throws.Value<int>(new OperationCanceledException())));

        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(1, stats.Faulted);
        Assert.Equal(0, stats.Canceled);
    }

    [Fact]
    public async Task RunAsync_ManyJobsOnOneWorker_ResultsMatchTheirInputs()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 8 });
        var pending = new ValueTask<int>[1000];

        for (int i = 0; i < pending.Length; i++)
        {
            pending[i] = pool.RunAsync(i, static (x, ct) => x * 3);
        }

        for (int i = 0; i < pending.Length; i++)
        {
            Assert.Equal(i * 3, await pending[i]);
        }
    }

    [Fact]
    public async Task GetResult_AwaitedTwice_SecondAwaitThrowsInsteadOfCorruptingTheNextJob()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        ValueTask<int> once = pool.RunAsync(static ct => 1);
        Assert.Equal(1, await once);

        // Once both holds are released the item returns to its pool with a new version, and may already carry the next job.
        // A stale await must then throw, and must never read or release the next job's item.
        ValueTask<int> next = pool.RunAsync(static ct => 2);
        int staleValue = 0;
        Exception? stale = Record.Exception(() => staleValue = once.GetAwaiter().GetResult());

        Assert.True(stale is InvalidOperationException || staleValue == 1, $"stale await returned {staleValue} / {stale}");
        Assert.Equal(2, await next);
    }
}
