using System.Collections.Concurrent;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;

namespace TaskPool.Benchmarks;

/// <summary>
/// Where WorkerPool's batch dispatch time goes (an investigation, not a contender): the cost of the queue alone, one item written
/// and read back on one thread (no contention), for the bounded channel WorkerPool uses (a lock per write and per read), an unbounded
/// channel and a ConcurrentQueue (lock-free segments), and the extra interlocked operations and ExecutionContext capture of a submit.
/// </summary>
[MemoryDiagnoser]
public class QueueHandoffBenchmarks
{
    private const int Items = 1000;

    private readonly object _item = new();
    private Channel<object> _bounded = null!;
    private Channel<object> _unbounded = null!;
    private ConcurrentQueue<object> _queue = null!;
    private long _counter;

    [GlobalSetup]
    public void Setup()
    {
        _bounded = Channel.CreateBounded<object>(new BoundedChannelOptions(4096) { SingleReader = false, SingleWriter = false, AllowSynchronousContinuations = false });
        _unbounded = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false, AllowSynchronousContinuations = false });
        _queue = new ConcurrentQueue<object>();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Items, Description = "Bounded channel: TryWrite + TryRead (WorkerPool's queue)")]
    public int Bounded()
    {
        int read = 0;
        for (int i = 0; i < Items; i++)
        {
            _bounded.Writer.TryWrite(_item);
            read += _bounded.Reader.TryRead(out _) ? 1 : 0;
        }

        return read;
    }

    [Benchmark(OperationsPerInvoke = Items, Description = "Unbounded channel: TryWrite + TryRead")]
    public int Unbounded()
    {
        int read = 0;
        for (int i = 0; i < Items; i++)
        {
            _unbounded.Writer.TryWrite(_item);
            read += _unbounded.Reader.TryRead(out _) ? 1 : 0;
        }

        return read;
    }

    [Benchmark(OperationsPerInvoke = Items, Description = "ConcurrentQueue: Enqueue + TryDequeue")]
    public int Queue()
    {
        int read = 0;
        for (int i = 0; i < Items; i++)
        {
            _queue.Enqueue(_item);
            read += _queue.TryDequeue(out _) ? 1 : 0;
        }

        return read;
    }

    [Benchmark(OperationsPerInvoke = Items, Description = "6 interlocked operations (a WorkerPool job's counters, lifecycle, holds)")]
    public long Interlocked6()
    {
        for (int i = 0; i < Items; i++)
        {
            Interlocked.Increment(ref _counter);
            Interlocked.Increment(ref _counter);
            Interlocked.Decrement(ref _counter);
            Interlocked.CompareExchange(ref _counter, 1, 0);
            Interlocked.And(ref _counter, ~1L);
            Interlocked.And(ref _counter, ~2L);
        }

        return _counter;
    }

    [Benchmark(OperationsPerInvoke = Items, Description = "ExecutionContext.Capture (FlowExecutionContext = true)")]
    public int CaptureContext()
    {
        int captured = 0;
        for (int i = 0; i < Items; i++)
        {
            captured += ExecutionContext.Capture() is null ? 0 : 1;
        }

        return captured;
    }
}
