using System.Threading.Tasks.Dataflow;
using BenchmarkDotNet.Attributes;
using TaskPool.Benchmarks.Contenders;

namespace TaskPool.Benchmarks;

/// <summary>
/// A burst of 1,000 jobs submitted by one producer, then awaited all (Task.WhenAll-style fan-out), per job: the dispatch
/// throughput of a server handing a batch of CPU work to other threads. Every contender runs on all cores
/// (WorkerPool and the naive pool with one thread per core, ActionBlock, Parallel.ForEachAsync and the semaphore throttled at cores).
/// </summary>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class BatchDispatchBenchmarks
{
    private const int Jobs = 1000;

    private readonly ValueTask<long>[] _valueTasks = new ValueTask<long>[Jobs];
    private readonly Task<long>[] _tasks = new Task<long>[Jobs];
    private readonly long[] _results = new long[Jobs];
    private WorkerPool _pool = null!;
    private ActionBlock<DataflowJob> _block = null!;
    private SemaphoreSlim _throttle = null!;
    private NaiveThreadPool _naive = null!;
    private ParallelOptions _parallelOptions = null!;
    private int _steps;

    [Params(Work.Empty, Work.OneMicrosecond, Work.FiftyMicroseconds)]
    public Work Work { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int cores = Environment.ProcessorCount;
        _steps = CpuWork.StepsOf(Work);
        _pool = new WorkerPool(new WorkerPoolOptions { Name = "bench", WorkerCount = cores, QueueCapacity = 4096 });
        _block = DataflowJob.CreateBlock(cores, 4096);
        _throttle = new SemaphoreSlim(cores);
        _naive = new NaiveThreadPool(cores, 4096);
        _parallelOptions = new ParallelOptions { MaxDegreeOfParallelism = cores };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pool.Dispose();
        _block.Complete();
        _block.Completion.Wait();
        _throttle.Dispose();
        _naive.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "Inline (no dispatch)")]
    public long Inline()
    {
        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += CpuWork.Spin(_steps);
        }

        return sum;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Jobs, Description = "Task.Run")]
    public Task<long> TaskRun()
    {
        int steps = _steps;
        for (int i = 0; i < Jobs; i++)
        {
            _tasks[i] = Task.Run(() => CpuWork.Spin(steps));
        }

        return SumAsync(_tasks);
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "WorkerPool.RunAsync")]
    public async Task<long> WorkerPoolRunAsync()
    {
        for (int i = 0; i < Jobs; i++)
        {
            _valueTasks[i] = _pool.RunAsync(_steps, static (steps, ct) => CpuWork.Spin(steps));
        }

        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += await _valueTasks[i];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "WorkerPool.TryRun")]
    public async Task<long> WorkerPoolTryRun()
    {
        for (int i = 0; i < Jobs; i++)
        {
            if (!_pool.TryRun(_steps, static (steps, ct) => CpuWork.Spin(steps), out _valueTasks[i]))
            {
                throw new InvalidOperationException("The pool refused a job.");
            }
        }

        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += await _valueTasks[i];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "ThreadPool.UnsafeQueueUserWorkItem + TCS")]
    public Task<long> ThreadPoolQueue()
    {
        for (int i = 0; i < Jobs; i++)
        {
            _tasks[i] = ThreadPoolJob.Run(_steps);
        }

        return SumAsync(_tasks);
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "ActionBlock + TCS")]
    public async Task<long> ActionBlock()
    {
        for (int i = 0; i < Jobs; i++)
        {
            _tasks[i] = await DataflowJob.SendAsync(_block, _steps);
        }

        return await SumAsync(_tasks);
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "Parallel.ForEachAsync")]
    public async Task<long> ParallelForEachAsync()
    {
        long[] results = _results;
        int steps = _steps;
        await Parallel.ForEachAsync(Enumerable.Range(0, Jobs), _parallelOptions, (i, ct) =>
        {
            results[i] = CpuWork.Spin(steps);
            return ValueTask.CompletedTask;
        });

        long sum = 0;
        foreach (long result in results)
        {
            sum += result;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "SemaphoreSlim-throttled Task.Run")]
    public async Task<long> ThrottledTaskRun()
    {
        for (int i = 0; i < Jobs; i++)
        {
            await _throttle.WaitAsync();
            _tasks[i] = RunThrottled(_throttle, _steps);
        }

        return await SumAsync(_tasks);

        static Task<long> RunThrottled(SemaphoreSlim throttle, int steps) => Task.Run(() =>
        {
            try
            {
                return CpuWork.Spin(steps);
            }
            finally
            {
                throttle.Release();
            }
        });
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "Naive BlockingCollection pool")]
    public Task<long> NaivePool()
    {
        int steps = _steps;
        for (int i = 0; i < Jobs; i++)
        {
            _tasks[i] = _naive.Run(() => CpuWork.Spin(steps));
        }

        return SumAsync(_tasks);
    }

    private static async Task<long> SumAsync(Task<long>[] tasks)
    {
        long sum = 0;
        foreach (Task<long> task in tasks)
        {
            sum += await task;
        }

        return sum;
    }
}
