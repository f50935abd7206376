namespace TaskPool.Interleavings.Tests;

/// <summary>
/// A driver that perturbs timing at every schedule point: a thread that reaches one yields, spins or sleeps at random, so that the
/// short windows between a protocol's steps (which two cores almost never hit) open wide enough for other threads to step in.
/// </summary>
internal sealed class Chaos : IPointDriver, IDisposable
{
    private readonly int _seed;
    private readonly double _probability;
    private readonly IDisposable _installation;
    private readonly ThreadLocal<Random> _random;
    private long _reached;
    private long _delayed;

    public Chaos(int seed, double probability = 0.3)
    {
        _seed = seed;
        _probability = probability;
        _random = new ThreadLocal<Random>(() => new Random(HashCode.Combine(_seed, Environment.CurrentManagedThreadId)));
        _installation = Interleaving.Install(this);
    }

    public long Reached => Interlocked.Read(ref _reached);

    public long Delayed => Interlocked.Read(ref _delayed);

    void IPointDriver.OnReached(string point)
    {
        Interlocked.Increment(ref _reached);
        Random random = _random.Value!;
        if (random.NextDouble() >= _probability)
        {
            return;
        }

        Interlocked.Increment(ref _delayed);
        switch (random.Next(4))
        {
            case 0:
                Thread.Yield();
                break;
            case 1:
                Thread.SpinWait(random.Next(10, 2_000));
                break;
            case 2:
                Thread.Sleep(0);
                break;
            default:
                Thread.Sleep(random.Next(0, 2)); // 0 or 1 ms: long enough for every other thread to take several steps
                break;
        }
    }

    public void Dispose()
    {
        _installation.Dispose();
        _random.Dispose();
    }
}
