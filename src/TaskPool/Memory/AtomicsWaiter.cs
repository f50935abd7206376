using System.Diagnostics;

namespace TaskPool;

/// <summary>
/// One thread sleeping in <see cref="Atomics"/>.Wait: a node of an <see cref="AtomicsWaiterList"/>, and the monitor
/// the thread sleeps on. A new node per blocking wait, so a late wake-up can never reach a later wait.
/// </summary>
[DebuggerDisplay("Index = {Index}, InList = {InList}, Signaled = {_signaled}")]
internal sealed class AtomicsWaiter
{
    private bool _signaled; // guarded by lock (this)

    internal AtomicsWaiter(object buffer, int index)
    {
        Buffer = buffer;
        Index = index;
    }

    /// <summary>The <see cref="SharedBuffer{T}"/> the thread waits on: cells are identified by (buffer, index).</summary>
    internal object Buffer { get; }

    /// <summary>The index of the cell the thread waits on.</summary>
    internal int Index { get; }

    // The links and InList are guarded by the lock of the AtomicsWaiterList that holds the node.
    internal AtomicsWaiter? Previous { get; set; }

    internal AtomicsWaiter? Next { get; set; }

    /// <summary>True from enqueue until a notifier dequeues the node or its timed-out thread removes it; the one source of truth for the outcome.</summary>
    internal bool InList { get; set; }

    /// <summary>Sleeps until <see cref="Signal"/> is called or <paramref name="millisecondsTimeout"/> elapses (-1: forever). Returns whether signaled.</summary>
    internal bool Sleep(int millisecondsTimeout)
    {
        Debug.Assert(millisecondsTimeout >= Timeout.Infinite);
        lock (this)
        {
            if (millisecondsTimeout == Timeout.Infinite)
            {
                while (!_signaled)
                {
                    Monitor.Wait(this);
                }

                return true;
            }

            long deadline = Environment.TickCount64 + millisecondsTimeout;
            while (!_signaled)
            {
                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                {
                    return false;
                }

                // Monitor.Wait can return early (spurious wake-up): the loop re-checks the flag and the remaining time.
                Monitor.Wait(this, (int)remaining);
            }

            return true;
        }
    }

    /// <summary>Wakes the sleeping thread. Called by a notifier after it dequeued the node, outside the list's lock.</summary>
    internal void Signal()
    {
        lock (this)
        {
            _signaled = true; // under the node's lock: the sleeper checks the flag under the same lock, so a signal sent before it sleeps is not lost
            Monitor.Pulse(this);
        }
    }
}
