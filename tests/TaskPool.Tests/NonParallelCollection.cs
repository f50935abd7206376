namespace TaskPool.Tests;

/// <summary>
/// Tests that measure process-wide quantities (allocated bytes, ThreadPool starvation) run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NonParallelCollection
{
    public const string Name = "Non-parallel";
}
