using System.Runtime.CompilerServices;

namespace TaskPool.Tests.Core;

[Collection(NonParallelCollection.Name)]
public sealed class WorkerPoolStarvationTests
{
    [Fact]
    public void TryRun_ThreadPoolCompletelyStarved_WorkersStillRunJobs()
    {
        ThreadPool.GetMaxThreads(out int maxWorkers, out int maxIo);
        ThreadPool.GetMinThreads(out int minWorkers, out _);
        using var pool = new WorkerPool(new WorkerPoolOptions { Name = "starved", WorkerCount = 2 });
        var releaseBlockers = new ManualResetEventSlim(); // never disposed: the last blocker only starts after the test returns
        var blockersStarted = new StrongBox<int>();
        try
        {
            // Cap the ThreadPool so that it cannot inject threads, then occupy every thread it has.
            Assert.True(ThreadPool.SetMaxThreads(Math.Max(minWorkers, Environment.ProcessorCount), maxIo));
            int queued = 0;
            while (true)
            {
                ThreadPool.UnsafeQueueUserWorkItem(
                    static s =>
                    {
                        Interlocked.Increment(ref s.Started.Value);
                        s.Release.Wait();
                    },
                    (Started: blockersStarted, Release: releaseBlockers),
                    preferLocal: false);
                queued++;
                Assert.True(queued < 10_000, "could not starve the ThreadPool");

                // When a queued blocker does not start for a full second, every ThreadPool thread is taken.
                if (!SpinWait.SpinUntil(() => Volatile.Read(ref blockersStarted.Value) == queued, TimeSpan.FromSeconds(1)))
                {
                    break;
                }
            }

            int startedWhileStarved = Volatile.Read(ref blockersStarted.Value);
            using var done = new CountdownEvent(100);
            for (int i = 0; i < 100; i++)
            {
                Assert.True(pool.TryRun(done, static (d, ct) => d.Signal(), out _));
            }

            done.WaitOrFail("jobs to run on the pool while the ThreadPool is starved");
            Assert.Equal(startedWhileStarved, Volatile.Read(ref blockersStarted.Value)); // still starved: the last blocker never got a thread
        }
        finally
        {
            releaseBlockers.Set();
            ThreadPool.SetMaxThreads(maxWorkers, maxIo);
        }
    }
}
