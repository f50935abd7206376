namespace TaskPool.Tests.Memory;

[Collection(NonParallelCollection.Name)]
public sealed class AtomicsStarvationTests
{
    [Fact]
    public async Task WaitNotify_ThreadPoolCompletelyStarved_WorkerBlockedInWaitIsWoken()
    {
        using var pool = new WorkerPool(new WorkerPoolOptions { Name = "atomics-starved", WorkerCount = 1 });
        using var cells = new SharedBuffer<int>(2); // cell 0: the flag the job waits for; cell 1: the job's Wait result + 1
        ValueTask<int> job = default;
        using (var starvation = ThreadPoolStarvation.Begin())
        {
            // A job blocks its worker thread in Atomics.Wait...
            Assert.True(pool.TryRun(
                cells,
                static (c, ct) =>
                {
                    AtomicsWaitResult result = AtomicsWaitResult.NotEqual;
                    while (Atomics.Load(c, 0) == 0 && (result = Atomics.Wait(c, 0, 0, TestTimeouts.Hang)) != AtomicsWaitResult.TimedOut)
                    {
                    }

                    Atomics.Store(c, 1, (int)result + 1);
                    return Atomics.Notify(c, 1);
                },
                out job));
            TestThread.WaitUntil(() => Atomics.GetWaiterCount(cells, 0) == 1, "the job waits on cell 0");

            // ...and a dedicated thread wakes it while no ThreadPool thread is available.
            int woken = 0;
            TestThread notifier = TestThread.Start(
                () =>
                {
                    Atomics.Store(cells, 0, 1);
                    woken = Atomics.Notify(cells, 0);
                },
                "notifier");
            notifier.Join();

            int reported;
            while ((reported = Atomics.Load(cells, 1)) == 0)
            {
                Assert.NotEqual(AtomicsWaitResult.TimedOut, Atomics.Wait(cells, 1, 0, TestTimeouts.Hang));
            }

            Assert.Equal(1, woken);
            Assert.Equal(AtomicsWaitResult.Ok, (AtomicsWaitResult)(reported - 1));
            Assert.True(starvation.IsStillStarved); // the last blocker never got a thread
            TestTimeouts.WaitUntil(() => job.IsCompleted, "the job to complete");
        }

        int jobNotified = await job; // the ThreadPool is back: the job's result can be awaited normally
        Assert.InRange(jobNotified, 0, 1); // the job's Notify of cell 1: 1 if the test thread was already asleep on it
    }
}
