using System.Threading.Tasks.Dataflow;
using BenchmarkDotNet.Attributes;
using TaskPool.Benchmarks.Contenders;

namespace TaskPool.Benchmarks;

/// <summary>
/// Scaling with workers and producers: 1,000 jobs per operation, split among <see cref="Producers"/> concurrent submitters, run by
/// <see cref="Workers"/> threads (WorkerPool's WorkerCount, ActionBlock's MaxDegreeOfParallelism, the naive pool's threads).
/// With 50 µs jobs, <c>Inline</c> (one thread, no dispatch) is the single-thread rate: the ideal with N workers is a ratio of 1/N.
/// With empty jobs it shows how the dispatch cost grows when producers and workers contend for the queue.
/// </summary>
[MemoryDiagnoser]
public class ScalingBenchmarks
{
    private const int Jobs = 1000;

    private readonly ValueTask<long>[] _valueTasks = new ValueTask<long>[Jobs];
    private readonly Task<long>[] _tasks = new Task<long>[Jobs];
    private WorkerPool _pool = null!;
    private ActionBlock<DataflowJob> _block = null!;
    private NaiveThreadPool _naive = null!;
    private int _steps;

    [Params(Work.Empty, Work.FiftyMicroseconds)]
    public Work Work { get; set; }

    [ParamsSource(nameof(OneAndCores))]
    public int Workers { get; set; }

    [ParamsSource(nameof(OneAndCores))]
    public int Producers { get; set; }

    public static IEnumerable<int> OneAndCores() => new[] { 1, Environment.ProcessorCount }.Distinct();

    [GlobalSetup]
    public void Setup()
    {
        _steps = CpuWork.StepsOf(Work);
        _pool = new WorkerPool(new WorkerPoolOptions { Name = "bench", WorkerCount = Workers, QueueCapacity = 4096 });
        _block = DataflowJob.CreateBlock(Workers, 4096);
        _naive = new NaiveThreadPool(Workers, 4096);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pool.Dispose();
        _block.Complete();
        _block.Completion.Wait();
        _naive.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Jobs, Description = "Inline, one thread (no dispatch)")]
    public long Inline()
    {
        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += CpuWork.Spin(_steps);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "WorkerPool.RunAsync")]
    public Task<long> WorkerPoolRunAsync() => Produce(static (self, i) =>
    {
        self._valueTasks[i] = self._pool.RunAsync(self._steps, static (steps, ct) => CpuWork.Spin(steps));
        return ValueTask.CompletedTask;
    }, static (self, i) => self._valueTasks[i]); // the ValueTask itself: an async wrapper would allocate a state machine per pending job

    [Benchmark(OperationsPerInvoke = Jobs, Description = "ActionBlock + TCS")]
    public Task<long> ActionBlock() => Produce(static async (self, i) =>
    {
        self._tasks[i] = await DataflowJob.SendAsync(self._block, self._steps);
    }, static (self, i) => new ValueTask<long>(self._tasks[i]));

    [Benchmark(OperationsPerInvoke = Jobs, Description = "Naive BlockingCollection pool")]
    public Task<long> NaivePool() => Produce(static (self, i) =>
    {
        int steps = self._steps;
        self._tasks[i] = self._naive.Run(() => CpuWork.Spin(steps));
        return ValueTask.CompletedTask;
    }, static (self, i) => new ValueTask<long>(self._tasks[i]));

    /// <summary>Each of <see cref="Producers"/> ThreadPool tasks submits its share of the jobs, then awaits them.</summary>
    private async Task<long> Produce(Func<ScalingBenchmarks, int, ValueTask> submit, Func<ScalingBenchmarks, int, ValueTask<long>> result)
    {
        int producers = Producers;
        var running = new Task<long>[producers];
        for (int p = 0; p < producers; p++)
        {
            int first = p * Jobs / producers;
            int end = (p + 1) * Jobs / producers;
            running[p] = Task.Run(async () =>
            {
                for (int i = first; i < end; i++)
                {
                    await submit(this, i);
                }

                long sum = 0;
                for (int i = first; i < end; i++)
                {
                    sum += await result(this, i);
                }

                return sum;
            });
        }

        long total = 0;
        foreach (Task<long> producer in running)
        {
            total += await producer;
        }

        return total;
    }
}
