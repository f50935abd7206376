using System.Threading.Tasks.Dataflow;
using BenchmarkDotNet.Attributes;

namespace TaskPool.Benchmarks;

/// <summary>
/// Per-job cost of handing CPU work to another thread and awaiting its result, against what users would write instead.
/// Serial: submit one job, await it, repeat (the latency a request sees on a quiet server). Batch: submit 1,000, then await them all.
/// Every contender runs on all cores (WorkerPool with WorkerCount = cores, throttles at cores).
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private const int Jobs = 1000;

    private readonly ValueTask<long>[] _valueTasks = new ValueTask<long>[Jobs];
    private readonly Task<long>[] _tasks = new Task<long>[Jobs];
    private WorkerPool _pool = null!;
    private ActionBlock<DataflowJob> _block = null!;
    private SemaphoreSlim _throttle = null!;

    /// <summary>CPU steps per job: 0 is an empty job (pure dispatch), 40,000 is about 50 µs.</summary>
    [Params(0, CpuWork.FiftyMicroseconds)]
    public int Steps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pool = new WorkerPool(new WorkerPoolOptions { Name = "bench", WorkerCount = Environment.ProcessorCount, QueueCapacity = 4096 });
        _block = new ActionBlock<DataflowJob>(
            static job => job.Completion.SetResult(CpuWork.Spin(job.Steps)),
            new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, BoundedCapacity = 4096 });
        _throttle = new SemaphoreSlim(Environment.ProcessorCount);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pool.Dispose();
        _block.Complete();
        _block.Completion.Wait();
        _throttle.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Jobs, Description = "Inline (no dispatch)")]
    public long Inline()
    {
        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += CpuWork.Spin(Steps);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "Serial: WorkerPool.RunAsync")]
    public async Task<long> SerialWorkerPool()
    {
        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += await _pool.RunAsync(Steps, static (steps, ct) => CpuWork.Spin(steps));
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "Serial: Task.Run")]
    public async Task<long> SerialTaskRun()
    {
        long sum = 0;
        int steps = Steps;
        for (int i = 0; i < Jobs; i++)
        {
            sum += await Task.Run(() => CpuWork.Spin(steps));
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "Batch: WorkerPool.RunAsync")]
    public async Task<long> BatchWorkerPool()
    {
        for (int i = 0; i < Jobs; i++)
        {
            _valueTasks[i] = _pool.RunAsync(Steps, static (steps, ct) => CpuWork.Spin(steps));
        }

        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += await _valueTasks[i];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "Batch: Task.Run")]
    public async Task<long> BatchTaskRun()
    {
        int steps = Steps;
        for (int i = 0; i < Jobs; i++)
        {
            _tasks[i] = Task.Run(() => CpuWork.Spin(steps));
        }

        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += await _tasks[i];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "Batch: ActionBlock + TCS per job")]
    public async Task<long> BatchActionBlock()
    {
        for (int i = 0; i < Jobs; i++)
        {
            var completion = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            _tasks[i] = completion.Task;
            await _block.SendAsync(new DataflowJob(Steps, completion));
        }

        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += await _tasks[i];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "Batch: SemaphoreSlim-throttled Task.Run")]
    public async Task<long> BatchThrottledTaskRun()
    {
        for (int i = 0; i < Jobs; i++)
        {
            await _throttle.WaitAsync();
            _tasks[i] = RunThrottled(_throttle, Steps);
        }

        long sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += await _tasks[i];
        }

        return sum;

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

    private sealed record DataflowJob(int Steps, TaskCompletionSource<long> Completion);
}
