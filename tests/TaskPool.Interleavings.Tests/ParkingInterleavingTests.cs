using TaskPool.Internal;

namespace TaskPool.Interleavings.Tests;

/// <summary>
/// The parking hand-shake, forced into the orders that lost a job at 16 cores (issue 15). Each test drives named schedule points;
/// where a design takes another path, a step times out after <see cref="Script.StepTimeout"/> and the test goes on: what it asserts
/// is only what every design must give, that every accepted job completes and the pool comes back to rest.
/// </summary>
public sealed class ParkingInterleavingTests
{
    private static readonly TimeSpan s_jobsBound = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Worker A announces parking and pauses; a producer's job wakes worker B, a second producer claims a parked worker for its job;
    /// A then finds that second job itself and withdraws after a producer claimed it, while B finishes, re-parks and parks again.
    /// With one shared semaphore, B's second park consumed the permit A waited for: A slept holding the job, and its await never
    /// completed. With addressed wake-ups A never waits while it holds a job.
    /// </summary>
    [Fact]
    public async Task Withdraw_ClaimedWhileAnotherWorkerReparks_JobStillCompletes()
    {
        using var script = new Script();
        await using var pool = NewPool("lost-wake", workers: 2);
        WaitUntilAsleep(script, pool);

        Script.Pause announcing = script.PauseAt("ParkingLot.Announced", IsWorkerOf(pool));
        Assert.Equal(0, await pool.RunAsync(0, static (x, ct) => x).AsTask().WaitAsync(s_jobsBound));
        Assert.True(announcing.WaitReached(s_jobsBound), "the worker that ran the first job announces parking");
        string a = announcing.Thread!;
        Func<string, bool> isB = thread => IsWorkerOf(pool)(thread) && thread != a;

        Script.Pause bTakes = script.PauseAt("WorkerPool.Dequeued", isB);
        Script.Pause aWithdraws = script.PauseAt("ParkingLot.WithdrewAfterClaim", thread => thread == a);
        Task<int> first = pool.RunAsync(1, static (x, ct) => x).AsTask();
        Task<int> second = pool.RunAsync(2, static (x, ct) => x).AsTask();
        bTakes.WaitReached(Script.StepTimeout);

        announcing.Release(); // A looks at the queue once more and finds the second job
        aWithdraws.WaitReached(Script.StepTimeout);

        bTakes.Release(); // B runs the first job, then parks twice if a stray permit lets it
        Script.WaitUntil(() => script.Count("Parker.Blocking", isB) >= 2, Script.StepTimeout);
        aWithdraws.Release();

        Task both = Task.WhenAll(first, second);
        Assert.True(await Task.WhenAny(both, Task.Delay(s_jobsBound)) == both, $"every accepted job completes; trace:{Environment.NewLine}{script.Trace}");
        Assert.Equal(1, await first);
        Assert.Equal(2, await second);
        AssertAtRest(pool);
    }

    /// <summary>
    /// A producer claims a worker that is between its announcement and its last look at the queue; the worker finds the job itself.
    /// It must not sleep on the claim's signal, and that signal may cost it at most one extra turn, never a lost job or a lost worker.
    /// </summary>
    [Fact]
    public async Task Withdraw_ClaimArrivesBeforeLastLook_WorkerRunsJobAndParksAgain()
    {
        using var script = new Script();
        await using var pool = NewPool("claimed-early", workers: 1);
        WaitUntilAsleep(script, pool);

        Script.Pause announcing = script.PauseAt("ParkingLot.Announced", IsWorkerOf(pool));
        Assert.Equal(0, await pool.RunAsync(0, static (x, ct) => x).AsTask().WaitAsync(s_jobsBound));
        Assert.True(announcing.WaitReached(s_jobsBound), "the worker announces parking after its job");

        Task<int> job = pool.RunAsync(7, static (x, ct) => x).AsTask(); // the producer claims the announced worker
        announcing.Release();

        Assert.Equal(7, await job.WaitAsync(s_jobsBound));
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(i, await pool.RunAsync(i, static (x, ct) => x).AsTask().WaitAsync(s_jobsBound)); // a stale signal never strands a job
        }

        AssertAtRest(pool);
    }

    /// <summary>Shutdown races a worker that announced but has not slept yet: it must see the closed queue or be woken, and exit.</summary>
    [Fact]
    public async Task Shutdown_WorkerBetweenAnnounceAndSleep_EveryWorkerExits()
    {
        using var script = new Script();
        var pool = NewPool("closing", workers: 2);
        WaitUntilAsleep(script, pool);

        Script.Pause announcing = script.PauseAt("ParkingLot.Announced", IsWorkerOf(pool));
        await pool.RunAsync(0, static (x, ct) => x).AsTask().WaitAsync(s_jobsBound);
        Assert.True(announcing.WaitReached(s_jobsBound));

        Task shutdown = pool.ShutdownAsync();
        announcing.Release();
        Assert.True(await Task.WhenAny(shutdown, Task.Delay(s_jobsBound)) == shutdown, $"shutdown completes; trace:{Environment.NewLine}{script.Trace}");
    }

    /// <summary>
    /// Waits until every worker of <paramref name="pool"/> went past its announcement and is about to sleep: a pause armed later then
    /// catches a worker's next announcement, not one still in progress.
    /// </summary>
    internal static void WaitUntilAsleep(Script script, WorkerPool pool)
        => Assert.True(
            Script.WaitUntil(() => script.Count("Parker.Blocking", IsWorkerOf(pool)) >= pool.WorkerCount && pool.ParkedWorkers == pool.WorkerCount, s_jobsBound),
            "every worker parks at start");

    internal static WorkerPool NewPool(string name, int workers, int spinMicroseconds = 0)
        => new(new WorkerPoolOptions { Name = name, WorkerCount = workers, SpinBeforeParking = TimeSpan.FromMicroseconds(spinMicroseconds) });

    internal static Func<string, bool> IsWorkerOf(WorkerPool pool) => thread => thread.StartsWith($"{pool.Name} worker ", StringComparison.Ordinal);

    internal static void AssertAtRest(WorkerPool pool)
    {
        Assert.True(Script.WaitUntil(() => pool.ParkedWorkers == pool.WorkerCount, s_jobsBound), $"every worker parks again ({pool.ParkedWorkers} of {pool.WorkerCount})");
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(0, stats.BusyWorkers);
        Assert.Equal(0, stats.QueueDepth);
        Assert.Equal(stats.Submitted, stats.Completed + stats.Faulted + stats.Canceled + stats.TimedOut);
    }
}
