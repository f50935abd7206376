namespace TaskPool.Internal;

/// <summary>A value of some <see cref="WorkerLocal{T}"/> held by one worker.</summary>
internal interface IWorkerLocalHolder
{
    /// <summary>Whether the <see cref="WorkerLocal{T}"/> that created the value was disposed: the value must go.</summary>
    bool IsOwnerDisposed { get; }

    /// <summary>Disposes the value if it is <see cref="IDisposable"/>; called on the worker's thread.</summary>
    void DisposeValue();
}
