namespace TaskPool.Isolation.Tests;

/// <summary>
/// Every process-lane test runs in this one collection, one at a time: they start real child processes on a small shared machine,
/// and some of them count machine-wide things (/dev/shm entries, processes).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IsolationCollection
{
    public const string Name = "Process lane";
}
