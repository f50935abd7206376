using Microsoft.Extensions.ObjectPool;

namespace TaskPool.Internal;

/// <summary>Creates the per-type object pools of work items.</summary>
internal static class WorkItemPools
{
    /// <summary>
    /// How many idle items of one closed generic type are kept. Enough for a caller that fans out a batch of a thousand jobs and awaits them,
    /// so that such batches allocate nothing in the steady state; beyond it items are dropped for the GC.
    /// </summary>
    internal const int RetainedPerType = 1024;

    internal static ObjectPool<T> Create<T>()
        where T : class, new()
        => new DefaultObjectPool<T>(new DefaultPooledObjectPolicy<T>(), RetainedPerType);
}
