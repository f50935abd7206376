using System.Runtime.CompilerServices;

namespace TaskPool.Benchmarks;

/// <summary>A deterministic CPU-bound job: a fixed number of xorshift steps the JIT cannot remove.</summary>
public static class CpuWork
{
    /// <summary>About 50 µs on the 2-core reference machine (the <c>Inline</c> baseline reports the exact figure of each run).</summary>
    public const int FiftyMicroseconds = 40_000;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Spin(int steps)
    {
        ulong x = 88172645463325252UL;
        for (int i = 0; i < steps; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }

        return (long)x;
    }
}
