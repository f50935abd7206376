using BenchmarkDotNet.Attributes;

namespace TaskPool.Benchmarks;

/// <summary>
/// Handing a 64 MiB buffer to a job that reads one byte of it, awaited through a <see cref="WorkerPool"/>: moving ownership
/// with <see cref="OwnedBuffer{T}.Transfer"/> against copying the buffer for the job (<c>ToArray</c>) and against capturing
/// the array in a closure (no copy, but no ownership either: both sides can still write to it).
/// </summary>
[MemoryDiagnoser]
public class OwnedBufferTransferBenchmarks
{
    private const int Size = 64 * 1024 * 1024;

    private WorkerPool _pool = null!;
    private byte[] _array = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pool = new WorkerPool(new WorkerPoolOptions { Name = "bench", WorkerCount = Environment.ProcessorCount });
        _array = GC.AllocateUninitializedArray<byte>(Size);
        _array.AsSpan().Fill(0x2A);
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark(Description = "OwnedBuffer.Rent + Transfer (job disposes: back to the pool)")]
    public async Task<byte> RentAndTransfer()
    {
        OwnedBuffer<byte> owner = OwnedBuffer<byte>.Rent(Size); // after the first call, the pool hands back the same array
        owner.Span[Size - 1] = 0x2A;
        return await _pool.RunAsync(owner.Transfer(), static (buffer, ct) =>
        {
            byte last = buffer.Span[Size - 1];
            buffer.Dispose();
            return last;
        });
    }

    [Benchmark(Description = "OwnedBuffer.Wrap + Transfer (job disposes)")]
    public async Task<byte> WrapAndTransfer()
    {
        OwnedBuffer<byte> owner = OwnedBuffer<byte>.Wrap(_array);
        return await _pool.RunAsync(owner.Transfer(), static (buffer, ct) =>
        {
            byte last = buffer.Span[Size - 1];
            buffer.Dispose();
            return last;
        });
    }

    [Benchmark(Description = "Copy for the job (ToArray)")]
    public async Task<byte> Copy()
    {
        byte[] copy = _array.AsSpan().ToArray();
        return await _pool.RunAsync(copy, static (buffer, ct) => buffer[Size - 1]);
    }

    [Benchmark(Baseline = true, Description = "Array captured in a closure")]
    public async Task<byte> Closure()
    {
        byte[] array = _array;
        return await _pool.RunAsync(ct => array[Size - 1]);
    }
}
