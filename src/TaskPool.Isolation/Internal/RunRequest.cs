namespace TaskPool.Isolation.Internal;

/// <summary>A job the child received: its id, name, input (inline bytes, or a shared-memory path and length) and its token's source,
/// created on arrival so that a cancel that comes before the handler starts is not lost.</summary>
internal sealed record RunRequest(long JobId, string JobName, ReadOnlyMemory<byte> Inline, string? SharedPath, long SharedLength, CancellationTokenSource Cancellation);
