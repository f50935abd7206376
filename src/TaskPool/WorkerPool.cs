namespace TaskPool;

/// <summary>Placeholder; the core issue fills this in.</summary>
public sealed partial class WorkerPool
{
}
