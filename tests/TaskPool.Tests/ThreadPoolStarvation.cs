using System.Runtime.CompilerServices;

namespace TaskPool.Tests;

/// <summary>
/// Caps the .NET ThreadPool and occupies every thread it has, for tests that prove something works without it. Use only in the
/// non-parallel collection. Starvation is established when a queued blocker does not start for a full second.
/// </summary>
internal sealed class ThreadPoolStarvation : IDisposable
{
    private readonly ManualResetEventSlim _release = new(); // never disposed: the last blocker only starts after the starvation ends
    private readonly StrongBox<int> _started = new();
    private readonly int _maxWorkers;
    private readonly int _maxIo;

    private ThreadPoolStarvation()
    {
        ThreadPool.GetMaxThreads(out _maxWorkers, out _maxIo);
    }

    /// <summary>How many blockers run: every ThreadPool thread.</summary>
    public int StartedWhileStarved { get; private set; }

    /// <summary>True while no queued blocker beyond those has started, that is, while the ThreadPool is still starved.</summary>
    public bool IsStillStarved => Volatile.Read(ref _started.Value) == StartedWhileStarved;

    public static ThreadPoolStarvation Begin()
    {
        var starvation = new ThreadPoolStarvation();
        try
        {
            ThreadPool.GetMinThreads(out int minWorkers, out _);
            Assert.True(ThreadPool.SetMaxThreads(Math.Max(minWorkers, Environment.ProcessorCount), starvation._maxIo));
            int queued = 0;
            while (true)
            {
                ThreadPool.UnsafeQueueUserWorkItem(
                    static s =>
                    {
                        Interlocked.Increment(ref s.Started.Value);
                        s.Release.Wait();
                    },
                    (Started: starvation._started, Release: starvation._release),
                    preferLocal: false);
                queued++;
                Assert.True(queued < 10_000, "could not starve the ThreadPool");
                if (!SpinWait.SpinUntil(() => Volatile.Read(ref starvation._started.Value) == queued, TimeSpan.FromSeconds(1)))
                {
                    break;
                }
            }

            starvation.StartedWhileStarved = Volatile.Read(ref starvation._started.Value);
            return starvation;
        }
        catch
        {
            starvation.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _release.Set();
        ThreadPool.SetMaxThreads(_maxWorkers, _maxIo);
    }
}
