namespace TaskPool.Internal;

/// <summary>The result type of jobs that return nothing.</summary>
internal readonly struct VoidResult
{
}
