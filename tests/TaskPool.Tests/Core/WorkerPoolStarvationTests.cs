namespace TaskPool.Tests.Core;

[Collection(NonParallelCollection.Name)]
public sealed class WorkerPoolStarvationTests
{
    [Fact]
    public void TryRun_ThreadPoolCompletelyStarved_WorkersStillRunJobs()
    {
        using var pool = new WorkerPool(new WorkerPoolOptions { Name = "starved", WorkerCount = 2 });
        using var starvation = ThreadPoolStarvation.Begin();
        using var done = new CountdownEvent(100);

        for (int i = 0; i < 100; i++)
        {
            Assert.True(pool.TryRun(done, static (d, ct) => d.Signal(), out _));
        }

        done.WaitOrFail("jobs to run on the pool while the ThreadPool is starved");
        Assert.True(starvation.IsStillStarved); // the last blocker never got a thread
    }
}
