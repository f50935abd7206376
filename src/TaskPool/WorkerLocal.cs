using System.Diagnostics;
using TaskPool.Internal;

namespace TaskPool;

/// <summary>
/// A value per worker thread, created on first use by each worker and reused by every later job of that worker: for expensive helpers
/// that are not thread-safe (an HMAC, a SkiaSharp surface, a parser, a compression context). Pass the <see cref="WorkerLocal{T}"/>
/// as (part of) a job's state and read <see cref="Value"/> inside the job.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="Value"/> is created lazily by the factory, once per worker thread and per <see cref="WorkerLocal{T}"/>, on that thread.
/// A factory that throws faults that job only; the next job on that worker calls the factory again.</item>
/// <item>An <see cref="IDisposable"/> value is disposed on its worker's thread when the worker exits: at shutdown, and when a stuck worker
/// that was replaced retires (its replacement creates its own value).</item>
/// <item><see cref="Dispose"/> disposes the values of idle workers at once (it wakes them) and those of busy workers when their job
/// ends, each on its own worker's thread; reading <see cref="Value"/> afterwards throws <see cref="ObjectDisposedException"/>.</item>
/// </list>
/// A <see cref="WorkerLocal{T}"/> is not tied to one pool: any pool's workers may use it.
/// </remarks>
/// <typeparam name="T">The value's type.</typeparam>
[DebuggerDisplay("Workers = {_workers.Count}, Disposed = {IsDisposed}")]
public sealed class WorkerLocal<T> : IDisposable
{
    private readonly Func<T> _factory;
    private readonly int _slot;
    private readonly List<Worker> _workers = [];
    private int _disposed;

    /// <summary>Creates a worker-local value that <paramref name="factory"/> creates on each worker's first use.</summary>
    /// <param name="factory">Creates one worker's value, on that worker's thread.</param>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public WorkerLocal(Func<T> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
        _slot = WorkerLocalSlots.Rent();
    }

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0; // set once, by Dispose

    /// <summary>This worker thread's value, created by the factory on first use.</summary>
    /// <exception cref="InvalidOperationException">Read on a thread that is not a worker of some <see cref="WorkerPool"/>.</exception>
    /// <exception cref="ObjectDisposedException">This <see cref="WorkerLocal{T}"/> was disposed.</exception>
    public T Value
    {
        get
        {
            Worker worker = Worker.Current ?? throw new InvalidOperationException("WorkerLocal<T>.Value can only be read inside a job, on a worker thread of a WorkerPool.");
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            if (worker.Locals.Get(_slot) is Holder { } holder && ReferenceEquals(holder.Owner, this))
            {
                return holder.Value;
            }

            return CreateValue(worker);
        }
    }

    /// <summary>Whether the current worker thread has created its value already (false on any other thread).</summary>
    public bool IsValueCreated => Worker.Current is { } worker && worker.Locals.Get(_slot) is Holder { } holder && ReferenceEquals(holder.Owner, this);

    /// <summary>
    /// Disposes every worker's value on that worker's thread: idle workers are woken to do it now, busy ones do it when their job ends.
    /// Idempotent.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) // the first call asks the workers to clean up
        {
            return;
        }

        Worker[] workers;
        lock (_workers)
        {
            workers = [.. _workers];
            _workers.Clear();
        }

        foreach (Worker worker in workers)
        {
            worker.RequestLocalsCleanup();
        }

        WorkerLocalSlots.Return(_slot); // a later local may reuse the slot: it ignores and replaces a holder that is not its own
    }

    private T CreateValue(Worker worker)
    {
        if (worker.Locals.Get(_slot) is { } stale)
        {
            stale.DisposeValue(); // a disposed local's value in a reused slot
        }

        T value = _factory(); // a throw faults the calling job only; nothing is stored, so the next job tries again
        worker.Locals.Set(_slot, new Holder(this, value));
        lock (_workers)
        {
            _workers.Add(worker);
        }

        if (IsDisposed)
        {
            worker.RequestLocalsCleanup(); // disposed while we created it: it goes when this job ends
        }

        return value;
    }

    /// <summary>One worker's value.</summary>
    private sealed class Holder(WorkerLocal<T> owner, T value) : IWorkerLocalHolder
    {
        public WorkerLocal<T> Owner { get; } = owner;

        public T Value { get; } = value;

        public bool IsOwnerDisposed => Owner.IsDisposed;

        public void DisposeValue() => (Value as IDisposable)?.Dispose();
    }
}
