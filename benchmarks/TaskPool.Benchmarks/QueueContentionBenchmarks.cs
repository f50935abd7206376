using System.Collections.Concurrent;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;

namespace TaskPool.Benchmarks;

/// <summary>
/// The queue under contention (an investigation, not a contender): this thread writes 1,000 items while a dedicated consumer thread
/// takes them as fast as it can, as a WorkerPool worker does in a burst; per item. The bounded channel takes one lock per write
/// and one per read, so producer and consumer hand the lock's cache line back and forth; the unbounded channel and ConcurrentQueue
/// do not lock on these paths.
/// </summary>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class QueueContentionBenchmarks
{
    private const int Items = 1000;

    private readonly object _item = new();
    private Func<object, bool> _write = null!;
    private Func<bool> _read = null!;
    private Thread _consumer = null!;
    private volatile bool _stop;
    private long _consumed;

    [Params("Bounded channel", "Unbounded channel", "ConcurrentQueue")]
    public string Queue { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        switch (Queue)
        {
            case "Bounded channel":
                Channel<object> bounded = Channel.CreateBounded<object>(new BoundedChannelOptions(4096) { AllowSynchronousContinuations = false });
                _write = bounded.Writer.TryWrite;
                _read = () => bounded.Reader.TryRead(out _);
                break;
            case "Unbounded channel":
                Channel<object> unbounded = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { AllowSynchronousContinuations = false });
                _write = unbounded.Writer.TryWrite;
                _read = () => unbounded.Reader.TryRead(out _);
                break;
            default:
                var queue = new ConcurrentQueue<object>();
                _write = item =>
                {
                    queue.Enqueue(item);
                    return true;
                };
                _read = () => queue.TryDequeue(out _);
                break;
        }

        _consumer = new Thread(() =>
        {
            while (!_stop)
            {
                if (_read())
                {
                    Interlocked.Increment(ref _consumed);
                }
                else
                {
                    Thread.SpinWait(1);
                }
            }
        })
        { IsBackground = true, Name = "consumer" };
        _consumer.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        _consumer.Join();
    }

    [Benchmark(OperationsPerInvoke = Items)]
    public long WriteWhileConsumerReads()
    {
        long target = Volatile.Read(ref _consumed) + Items;
        for (int i = 0; i < Items; i++)
        {
            _write(_item);
        }

        SpinWait spinner = default;
        while (Volatile.Read(ref _consumed) < target)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return target;
    }
}
