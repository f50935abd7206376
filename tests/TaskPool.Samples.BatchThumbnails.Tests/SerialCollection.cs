namespace TaskPool.Samples.BatchThumbnails.Tests;

/// <summary>Tests that count process-wide buffers run alone, after the parallel tests, so that no other test's buffers are counted.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Serial";
}
