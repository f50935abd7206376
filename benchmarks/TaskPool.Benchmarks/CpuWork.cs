using System.Runtime.CompilerServices;

namespace TaskPool.Benchmarks;

/// <summary>The CPU-bound workloads of the dispatch benchmarks, by name (a [Params] value).</summary>
public enum Work
{
    /// <summary>An empty job: what is measured is pure dispatch overhead.</summary>
    Empty,

    /// <summary>About 1 µs of CPU work.</summary>
    OneMicrosecond,

    /// <summary>About 50 µs of CPU work.</summary>
    FiftyMicroseconds,
}

/// <summary>A deterministic CPU-bound job: a fixed number of xorshift steps the JIT cannot remove.</summary>
public static class CpuWork
{
    /// <summary>About 1 µs on the 2-core reference machine (the <c>Inline</c> baseline reports the exact figure of each run).</summary>
    public const int OneMicrosecond = 800;

    /// <summary>About 50 µs on the 2-core reference machine (the <c>Inline</c> baseline reports the exact figure of each run).</summary>
    public const int FiftyMicroseconds = 40_000;

    /// <summary>The number of steps of a named workload.</summary>
    public static int StepsOf(Work work) => work switch
    {
        Work.Empty => 0,
        Work.OneMicrosecond => OneMicrosecond,
        Work.FiftyMicroseconds => FiftyMicroseconds,
        _ => throw new ArgumentOutOfRangeException(nameof(work), work, null),
    };

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
