using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
using TaskPool.Benchmarks;

namespace TaskPool.LatencyHarness;

/// <summary>
/// One way to run a job on another thread and await it. <see cref="ProbeAsync"/> runs an empty job that returns the
/// <see cref="Stopwatch"/> timestamp at which it started; <see cref="LoadAsync"/> runs a ~50 µs CPU job.
/// </summary>
internal abstract class Contender : IDisposable
{
    public abstract string Name { get; }

    public abstract ValueTask<long> ProbeAsync();

    public abstract ValueTask<long> LoadAsync(int steps);

    public virtual void Dispose()
    {
    }
}

internal sealed class WorkerPoolContender(int workers, bool spin = true) : Contender
{
    private readonly WorkerPool _pool = new(new WorkerPoolOptions
    {
        Name = "latency",
        WorkerCount = workers,
        QueueCapacity = 4096,
        SpinBeforeParking = spin ? TimeSpan.FromMicroseconds(50) : TimeSpan.Zero,
    });

    public override string Name => spin ? $"WorkerPool.RunAsync ({workers} workers)" : $"WorkerPool.RunAsync ({workers} workers, no spin)";

    public override ValueTask<long> ProbeAsync() => _pool.RunAsync(0, static (_, ct) => Stopwatch.GetTimestamp());

    public override ValueTask<long> LoadAsync(int steps) => _pool.RunAsync(steps, static (s, ct) => CpuWork.Spin(s));

    public override void Dispose() => _pool.Dispose();
}

internal sealed class TaskRunContender : Contender
{
    public override string Name => "Task.Run";

    public override ValueTask<long> ProbeAsync() => new(Task.Run(static () => Stopwatch.GetTimestamp()));

    public override ValueTask<long> LoadAsync(int steps) => new(Task.Run(() => CpuWork.Spin(steps)));
}

internal sealed class ActionBlockContender(int workers) : Contender
{
    private readonly ActionBlock<(int Steps, TaskCompletionSource<long> Completion)> _block = new(
        static job => job.Completion.SetResult(job.Steps < 0 ? Stopwatch.GetTimestamp() : CpuWork.Spin(job.Steps)),
        new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = workers, BoundedCapacity = 4096 });

    public override string Name => "ActionBlock + TCS";

    public override ValueTask<long> ProbeAsync() => SendAsync(-1);

    public override ValueTask<long> LoadAsync(int steps) => SendAsync(steps);

    public override void Dispose()
    {
        _block.Complete();
        _block.Completion.Wait(TimeSpan.FromSeconds(10));
    }

    private async ValueTask<long> SendAsync(int steps)
    {
        var completion = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!await _block.SendAsync((steps, completion)).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The block declined the job.");
        }

        return await completion.Task.ConfigureAwait(false);
    }
}
