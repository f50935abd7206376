namespace TaskPool.Tests.Faults;

/// <summary>A job result that counts how often it was disposed.</summary>
internal sealed class CountingDisposable : IDisposable
{
    private int _disposals;

    public int Disposals => Volatile.Read(ref _disposals);

    public void Dispose() => Interlocked.Increment(ref _disposals);
}
