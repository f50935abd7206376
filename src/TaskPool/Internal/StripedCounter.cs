using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// A counter that many threads bump at once without sharing a cache line: each processor adds to its own padded cell, and a reader
/// sums the cells. <see cref="Sum"/> is exact once the writers are quiet; while they run it is a snapshot of each cell in turn.
/// </summary>
[DebuggerDisplay("Sum = {Sum()}")]
internal sealed class StripedCounter
{
    private const int CellStride = 16; // 16 longs = 128 bytes: two cells never share a cache line, nor an adjacent-line prefetch pair

    private readonly long[] _cells;
    private readonly int _mask;

    internal StripedCounter()
    {
        int stripes = (int)Math.Min(64, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));
        _mask = stripes - 1;
        _cells = new long[(stripes + 1) * CellStride]; // one spare stride: the first cell does not share a line with the array's header
    }

    internal void Increment() => Interlocked.Increment(ref Cell()); // atomic: two threads on one processor may still race for the cell

    internal void Decrement() => Interlocked.Decrement(ref Cell()); // as above

    internal long Sum()
    {
        long sum = 0;
        for (int i = 1; i <= _mask + 1; i++)
        {
            sum += Volatile.Read(ref _cells[i * CellStride]); // a cell's latest value; cells are read one after another
        }

        return sum;
    }

    private ref long Cell() => ref _cells[((Thread.GetCurrentProcessorId() & _mask) + 1) * CellStride];
}
