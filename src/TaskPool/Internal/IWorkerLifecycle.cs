namespace TaskPool.Internal;

/// <summary>What a worker thread reports to whoever runs it (the pool's <see cref="WorkerRoster"/>), so that a worker never calls its pool.</summary>
internal interface IWorkerLifecycle
{
    /// <summary>A worker declared stuck finished its job. Returns whether it serves on (false: it was replaced, or the pool shut down).</summary>
    bool OnRecovered(Worker worker);

    /// <summary>The worker's thread is about to end.</summary>
    void OnExited(Worker worker);
}
