namespace TaskPool.Isolation;

/// <summary>The jobs a worker process can run, by name; filled by the callback given to <see cref="ProcessWorkerHost.RunIfWorker"/>.</summary>
public sealed class ProcessJobRegistry
{
    private readonly Dictionary<string, Func<ReadOnlyMemory<byte>, CancellationToken, byte[]>> _handlers = new(StringComparer.Ordinal);

    internal ProcessJobRegistry()
    {
    }

    /// <summary>The names mapped so far.</summary>
    public IReadOnlyCollection<string> JobNames => _handlers.Keys;

    /// <summary>Maps a job name to its handler. The handler gets the job's input bytes (valid only until it returns) and a token
    /// that fires when the caller cancels; it returns the output bytes. An exception it throws reaches the caller as <see cref="RemoteJobException"/>.</summary>
    /// <param name="jobName">The name callers pass to <see cref="ProcessPool.RunAsync"/>; case-sensitive.</param>
    /// <param name="handler">The job.</param>
    /// <returns>This registry, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobName"/> is empty or already mapped.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ProcessJobRegistry Map(string jobName, Func<ReadOnlyMemory<byte>, CancellationToken, byte[]> handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobName);
        ArgumentNullException.ThrowIfNull(handler);
        if (!_handlers.TryAdd(jobName, handler))
        {
            throw new ArgumentException($"A handler is already mapped for job '{jobName}'.", nameof(jobName));
        }

        return this;
    }

    internal bool TryGet(string jobName, out Func<ReadOnlyMemory<byte>, CancellationToken, byte[]> handler)
        => _handlers.TryGetValue(jobName, out handler!);
}
