using System.Threading.Tasks.Dataflow;
using BenchmarkDotNet.Attributes;
using TaskPool.Benchmarks.Contenders;

namespace TaskPool.Benchmarks;

/// <summary>
/// An empty job submitted and awaited one at a time (the latency a request sees on a quiet server): pure round-trip dispatch overhead,
/// including the wake-up of a parked or spinning worker and the continuation's hop back to the ThreadPool.
/// Every contender may use all cores.
/// </summary>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class SerialDispatchBenchmarks
{
    private const int Jobs = 1000;

    private WorkerPool _pool = null!;
    private WorkerPool _noSpinPool = null!;
    private WorkerPool _defaultPool = null!;
    private ActionBlock<DataflowJob> _block = null!;
    private NaiveThreadPool _naive = null!;

    [GlobalSetup]
    public void Setup()
    {
        int cores = Environment.ProcessorCount;
        _pool = new WorkerPool(new WorkerPoolOptions { Name = "bench", WorkerCount = cores, QueueCapacity = 4096 });
        _noSpinPool = new WorkerPool(new WorkerPoolOptions { Name = "bench-nospin", WorkerCount = cores, QueueCapacity = 4096, SpinBeforeParking = TimeSpan.Zero });
        _defaultPool = new WorkerPool(new WorkerPoolOptions { Name = "bench-default" });
        _block = DataflowJob.CreateBlock(cores, 4096);
        _naive = new NaiveThreadPool(cores, 4096);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pool.Dispose();
        _noSpinPool.Dispose();
        _defaultPool.Dispose();
        _block.Complete();
        _block.Completion.Wait();
        _naive.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Jobs, Description = "Task.Run")]
    public async Task<long> TaskRun()
    {
        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += await Task.Run(static () => CpuWork.Spin(0));
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "WorkerPool.RunAsync")]
    public async Task<long> WorkerPoolRunAsync()
    {
        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += await _pool.RunAsync(0, static (steps, ct) => CpuWork.Spin(steps));
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "WorkerPool.RunAsync, SpinBeforeParking = 0")]
    public async Task<long> WorkerPoolNoSpin()
    {
        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += await _noSpinPool.RunAsync(0, static (steps, ct) => CpuWork.Spin(steps));
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "WorkerPool.RunAsync, default WorkerCount (cores - 1)")]
    public async Task<long> WorkerPoolDefaultCount()
    {
        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += await _defaultPool.RunAsync(0, static (steps, ct) => CpuWork.Spin(steps));
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "WorkerPool.TryRun")]
    public async Task<long> WorkerPoolTryRun()
    {
        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            if (!_pool.TryRun(0, static (steps, ct) => CpuWork.Spin(steps), out ValueTask<long> result))
            {
                throw new InvalidOperationException("The pool refused a job.");
            }

            sum += await result;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "ThreadPool.UnsafeQueueUserWorkItem + TCS")]
    public async Task<long> ThreadPoolQueue()
    {
        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += await ThreadPoolJob.Run(0);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "ActionBlock + TCS")]
    public async Task<long> ActionBlock()
    {
        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += await await DataflowJob.SendAsync(_block, 0);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "Naive BlockingCollection pool")]
    public async Task<long> NaivePool()
    {
        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += await _naive.Run(static () => CpuWork.Spin(0));
        }

        return sum;
    }
}
