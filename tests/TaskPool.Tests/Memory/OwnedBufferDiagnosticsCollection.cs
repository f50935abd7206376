namespace TaskPool.Tests.Memory;

/// <summary>
/// Tests that assert on the process-wide <see cref="OwnedBufferDiagnostics"/> counters (or rent a lot) join this
/// collection: it runs alone, so no other test rents or returns while they measure deltas.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OwnedBufferDiagnosticsCollection
{
    public const string Name = "OwnedBufferDiagnostics";
}
