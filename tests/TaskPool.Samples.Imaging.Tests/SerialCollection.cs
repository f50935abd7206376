namespace TaskPool.Samples.Imaging.Tests;

/// <summary>Tests that measure process-wide memory run alone, after the parallel tests, so that no other test disturbs them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Serial";
}
