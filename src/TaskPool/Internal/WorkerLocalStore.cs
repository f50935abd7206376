using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// One worker's <see cref="WorkerLocal{T}"/> values, by the local's slot number. Touched only by the worker's own thread: values are
/// created, read and disposed there. Another thread asks for a clean-up through <see cref="Worker.RequestLocalsCleanup"/>.
/// </summary>
[DebuggerDisplay("Slots = {_holders.Length}")]
internal sealed class WorkerLocalStore
{
    private IWorkerLocalHolder?[] _holders = [];

    internal IWorkerLocalHolder? Get(int slot) => slot < _holders.Length ? _holders[slot] : null;

    internal void Set(int slot, IWorkerLocalHolder holder)
    {
        if (slot >= _holders.Length)
        {
            Array.Resize(ref _holders, Math.Max(slot + 1, _holders.Length * 2));
        }

        _holders[slot] = holder;
    }

    /// <summary>Disposes the values of locals that were disposed (all of them when <paramref name="all"/>: the worker exits).</summary>
    internal void DisposeValues(bool all, Action<Exception> onError)
    {
        for (int i = 0; i < _holders.Length; i++)
        {
            if (_holders[i] is { } holder && (all || holder.IsOwnerDisposed))
            {
                _holders[i] = null;
                try
                {
                    holder.DisposeValue();
                }
                catch (Exception exception)
                {
                    onError(exception);
                }
            }
        }
    }
}
