namespace TaskPool.Tests.Core;

public sealed class WorkerPoolWakeUpTests
{
    public static TheoryData<int> SpinMicroseconds => [0, 1, 50];

    [Theory]
    [MemberData(nameof(SpinMicroseconds))]
    public async Task RunAsync_BurstsSeparatedByIdleGaps_NoWakeUpIsLost(int spinMicroseconds)
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 3, SpinBeforeParking = TimeSpan.FromMicroseconds(spinMicroseconds) });
        var random = new Random(12345);

        for (int round = 0; round < 1500; round++)
        {
            int burst = random.Next(1, 8);
            var jobs = new Task<int>[burst];
            for (int i = 0; i < burst; i++)
            {
                jobs[i] = pool.RunAsync(i, static (x, ct) => x).AsTask();
            }

            // A lost wake-up leaves a job queued with every worker parked: this wait would then time out.
            int[] results = await Task.WhenAll(jobs).WaitOrFailAsync("tasks to finish");
            Assert.Equal(Enumerable.Range(0, burst), results);
            if (round % 100 == 0)
            {
                TestTimeouts.WaitUntil(() => pool.ParkedWorkers == 3, "all workers to park between bursts");
            }
        }
    }

    [Theory]
    [MemberData(nameof(SpinMicroseconds))]
    public async Task RunAsync_BurstNeedingEveryWorker_AllWorkersJoinEvenWhileOneSpins(int spinMicroseconds)
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 4, SpinBeforeParking = TimeSpan.FromMicroseconds(spinMicroseconds) });
        for (int round = 0; round < 50; round++)
        {
            await pool.RunAsync(static ct => 0); // leaves one worker spinning (when spinning is on) and the others parked
            using var barrier = new Barrier(4);

            // Each job waits until all four run at once: only possible when every worker was woken.
            var jobs = Enumerable.Range(0, 4).Select(_ => pool.RunAsync(barrier, static (b, ct) => b.SignalAndWait(TestTimeouts.Hang, ct)).AsTask()).ToArray();

            Assert.All(await Task.WhenAll(jobs).WaitOrFailAsync("tasks to finish"), Assert.True);
        }
    }

    [Fact]
    public async Task RunAsync_ManyProducersSpinDisabled_EveryJobCompletes()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 2, QueueCapacity = 16, SpinBeforeParking = TimeSpan.Zero });

        long[] sums = await Task.WhenAll(Enumerable.Range(0, 6).Select(p => Task.Run(async () =>
        {
            long sum = 0;
            for (int i = 0; i < 3000; i++)
            {
                sum += await pool.RunAsync(i, static (x, ct) => x);
            }

            return sum;
        }))).WaitOrFailAsync("tasks to finish");

        Assert.All(sums, s => Assert.Equal(2999L * 3000 / 2, s));
    }
}
