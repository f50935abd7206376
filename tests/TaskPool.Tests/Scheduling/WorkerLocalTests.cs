using System.Collections.Concurrent;

namespace TaskPool.Tests.Scheduling;

public sealed class WorkerLocalTests
{
    [Fact]
    public async Task Value_ManyJobsOnTwoWorkers_CreatedOncePerWorkerAndReusedByItsJobs()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 2 });
        int created = 0;
        using var local = new WorkerLocal<Tracked>(() => new Tracked(Interlocked.Increment(ref created)));
        var seen = new ConcurrentDictionary<string, ConcurrentBag<Tracked>>();

        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => pool.RunAsync((local, seen), static (s, ct) =>
        {
            s.seen.GetOrAdd(Thread.CurrentThread.Name!, _ => []).Add(s.local.Value);
            Assert.True(s.local.IsValueCreated);
        }).AsTask())).WaitOrFailAsync("the jobs");

        Assert.InRange(created, 1, 2);
        Assert.Equal(created, seen.Count);
        Assert.All(seen.Values, values => Assert.Single(values.Distinct())); // one instance per worker thread
    }

    [Fact]
    public void Value_OffAWorkerThread_ThrowsInvalidOperation()
    {
        using var local = new WorkerLocal<Tracked>(() => new Tracked(1));

        Assert.Throws<InvalidOperationException>(() => local.Value);
        Assert.False(local.IsValueCreated);
    }

    [Fact]
    public async Task Value_FactoryThrows_FaultsThatJobOnlyAndTheNextJobTriesAgain()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        int calls = 0;
        using var local = new WorkerLocal<Tracked>(() => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("first") : new Tracked(calls));

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(async () => await pool.RunAsync(local, static (l, ct) => l.Value.Id));
        int id = await pool.RunAsync(local, static (l, ct) => l.Value.Id);

        Assert.Equal("first", failed.Message);
        Assert.Equal(2, id);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Shutdown_WorkerExits_DisposesItsValueOnItsOwnThread()
    {
        var pool = new WorkerPool(new WorkerPoolOptions { Name = "locals-exit", WorkerCount = 1 });
        using var local = new WorkerLocal<Tracked>(() => new Tracked(1));
        Tracked value = await pool.RunAsync(local, static (l, ct) => l.Value);
        Assert.Null(value.DisposedOn);

        await pool.ShutdownAsync().WaitOrFailAsync("shutdown");

        Assert.Equal(value.CreatedOn, value.DisposedOn);
        Assert.Equal("locals-exit worker 0", value.DisposedOn);
        Assert.Equal(1, value.DisposeCount);
    }

    [Fact]
    public async Task Dispose_IdleAndBusyWorkers_IdleDisposeAtOnceBusyWhenTheirJobEnds()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 2 });
        var local = new WorkerLocal<Tracked>(() => new Tracked(0));
        using var inJob = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        ValueTask<Tracked> busy = pool.RunAsync((local, inJob, release), static (s, ct) =>
        {
            Tracked value = s.local.Value;
            s.inJob.Set();
            s.release.Wait(ct);
            return value;
        });
        inJob.WaitOrFail("the busy job to take its value");
        Tracked idleValue = await pool.RunAsync(local, static (l, ct) => l.Value); // the other worker, which then goes idle
        TestTimeouts.WaitUntil(() => pool.ParkedWorkers == 1, "the idle worker to park");

        local.Dispose();

        TestTimeouts.WaitUntil(() => idleValue.DisposeCount == 1, "the idle worker's value to be disposed");
        Assert.Throws<ObjectDisposedException>(() => pool.RunAsync(local, static (l, ct) => l.Value).AsTask().GetAwaiter().GetResult());
        release.Set();
        Tracked busyValue = await busy;
        TestTimeouts.WaitUntil(() => busyValue.DisposeCount == 1, "the busy worker's value to be disposed after its job");
        Assert.Equal(busyValue.CreatedOn, busyValue.DisposedOn);
        Assert.Equal(idleValue.CreatedOn, idleValue.DisposedOn);
        Assert.NotEqual(busyValue.CreatedOn, idleValue.CreatedOn);
    }

    [Fact]
    public async Task StuckWorkerReplaced_RetiredWorkerDisposesItsValueAndTheReplacementCreatesItsOwn()
    {
        string name = "locals-stuck" + Guid.NewGuid().ToString("N")[..4];
        var pool = new WorkerPool(new WorkerPoolOptions { Name = name, WorkerCount = 1, StuckJobGracePeriod = TimeSpan.FromMilliseconds(30) });
        using var local = new WorkerLocal<Tracked>(() => new Tracked(0));
        using var release = new ManualResetEventSlim();
        Tracked first = await pool.RunAsync(local, static (l, ct) => l.Value);
        Task<int> runaway = pool.RunAsync((local, release), static (s, ct) =>
        {
            s.release.Wait(TestTimeouts.Hang); // ignores its token
            return s.local.Value.Id; // not the value itself: a late result that is IDisposable is disposed as discarded
        }, TimeSpan.FromMilliseconds(10)).AsTask();
        await Assert.ThrowsAsync<WorkerPoolJobTimeoutException>(() => runaway.WaitOrFailAsync("the runaway's timeout"));
        TestTimeouts.WaitUntil(() => pool.GetStats().StuckWorkers == 1, "the worker to be declared stuck");

        Tracked replacementValue = await pool.RunAsync(local, static (l, ct) => l.Value).AsTask().WaitOrFailAsync("tasks to finish");
        Assert.NotSame(first, replacementValue);
        Assert.Equal($"{name} worker 0.1", replacementValue.CreatedOn);

        release.Set(); // the stuck job returns: its worker retires and disposes its value on its own thread
        TestTimeouts.WaitUntil(() => first.DisposeCount == 1, "the retired worker's value to be disposed");
        Assert.Equal($"{name} worker 0", first.DisposedOn);
        Assert.Equal(0, replacementValue.DisposeCount);
        await pool.ShutdownAsync().WaitOrFailAsync("shutdown");
        Assert.Equal(1, replacementValue.DisposeCount);
    }

    [Fact]
    public void Constructor_NullFactory_ThrowsArgumentNull()
        => Assert.Throws<ArgumentNullException>(() => new WorkerLocal<Tracked>(null!));

    /// <summary>A disposable value that records where it was created and disposed.</summary>
    private sealed class Tracked(int id) : IDisposable
    {
        private int _disposeCount;

        public int Id { get; } = id;

        public string? CreatedOn { get; } = Thread.CurrentThread.Name;

        public string? DisposedOn { get; private set; }

        public int DisposeCount => Volatile.Read(ref _disposeCount);

        public void Dispose()
        {
            DisposedOn = Thread.CurrentThread.Name;
            Interlocked.Increment(ref _disposeCount);
        }
    }
}
