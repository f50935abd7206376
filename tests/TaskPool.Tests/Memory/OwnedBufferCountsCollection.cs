namespace TaskPool.Tests.Memory;

/// <summary>
/// Tests that count <see cref="OwnedBuffer{T}"/> rentals and returns through the process-wide <c>taskpool.buffer.*</c> counters
/// (<see cref="OwnedBufferCounts"/>), or rent a lot, join this collection: it runs alone, so no other test rents or returns while
/// they count.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OwnedBufferCountsCollection
{
    public const string Name = "OwnedBufferCounts";
}
