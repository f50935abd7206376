using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TaskPool;

/// <summary>
/// A buffer with exactly one owner at a time. <see cref="Transfer"/> moves ownership to a new handle in O(1), without
/// copying the data: the new handle sees the same memory and the old one is detached. Use it to hand a large buffer to a
/// job and back (the job ends with <c>return owner.Transfer();</c>) while making any later use of a stale handle fail loudly.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// <para>
/// Ownership: the handle that currently owns the memory must be disposed exactly once by whoever holds it; disposing a
/// rented buffer returns its array to <see cref="ArrayPool{T}.Shared"/>. A detached (transferred) handle owns nothing, so
/// disposing it is a no-op. A handle that is never disposed leaks nothing: the garbage collector frees the array, it just
/// does not go back to the pool.
/// </para>
/// <para>
/// Thread-safety: <see cref="Transfer"/> and <see cref="Dispose"/> claim the handle atomically, so when they race
/// (on any number of threads) exactly one of them wins: one <see cref="Transfer"/> returns the new handle and every other
/// call throws (or, for <see cref="Dispose"/>, does nothing), and pooled memory goes back to the pool exactly once.
/// The buffer does not synchronize access to the elements. Spans and <see cref="Memory{T}"/> values obtained from a handle
/// are views, not owners: they keep working after <see cref="Transfer"/> (they alias the new owner's memory) and must not
/// be used after the owning handle is disposed, because a pooled array may then be rented to someone else.
/// </para>
/// </remarks>
[DebuggerDisplay("Length = {Length}, IsDetached = {IsDetached}")]
public sealed class OwnedBuffer<T> : IDisposable
    where T : unmanaged
{
    private const int StateOwned = 0;
    private const int StateTransferred = 1;
    private const int StateDisposed = 2;

    private readonly int _length;
    private readonly bool _pooled;
    private T[]? _array; // null once this handle no longer owns the memory
    private int _state;  // StateOwned until the one winning Transfer or Dispose claims the handle

    private OwnedBuffer(T[] array, int length, bool pooled)
    {
        Debug.Assert(length <= array.Length);
        _array = array;
        _length = length;
        _pooled = pooled;
    }

    /// <summary>
    /// Rents a buffer of exactly <paramref name="length"/> elements from <see cref="ArrayPool{T}.Shared"/>; <see cref="Dispose"/>
    /// returns it. The pool may hand back a larger array: the handle exposes only the first <paramref name="length"/> elements.
    /// </summary>
    /// <param name="length">The number of elements. Zero is allowed and rents nothing.</param>
    /// <returns>A new owning handle. The contents are unspecified (a previous renter's data may remain): clear it if needed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static OwnedBuffer<T> Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == 0)
        {
            return new OwnedBuffer<T>([], 0, pooled: false);
        }

        T[] array = ArrayPool<T>.Shared.Rent(length);
        OwnedBufferMetrics.OnRented();
        return new OwnedBuffer<T>(array, length, pooled: true);
    }

    /// <summary>
    /// Takes ownership of an existing array without copying it. The caller gives up the array: it should not keep using
    /// it directly. <see cref="Dispose"/> drops the reference and does not return the array to any pool.
    /// </summary>
    /// <param name="array">The array to own; the buffer's <see cref="Length"/> is its length.</param>
    /// <returns>A new owning handle over <paramref name="array"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="array"/> is null.</exception>
    public static OwnedBuffer<T> Wrap(T[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        return new OwnedBuffer<T>(array, array.Length, pooled: false);
    }

    /// <summary>Gets the number of elements while this handle owns the memory; 0 once it has been transferred or disposed.</summary>
    public int Length => Volatile.Read(ref _state) == StateOwned ? _length : 0; // acquire: pairs with the claiming Interlocked in Transfer/Dispose

    /// <summary>Gets whether ownership has moved to another handle through <see cref="Transfer"/>.</summary>
    public bool IsDetached => Volatile.Read(ref _state) == StateTransferred; // acquire: pairs with the claiming Interlocked in Transfer

    /// <summary>Gets a span over the buffer's <see cref="Length"/> elements.</summary>
    /// <exception cref="ObjectDisposedException">The handle has been transferred (the message says so) or disposed.</exception>
    public Span<T> Span
    {
        get
        {
            T[] array = GetArray();
            return MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(array), _length);
        }
    }

    /// <summary>Gets a <see cref="Memory{T}"/> over the buffer's <see cref="Length"/> elements, for APIs that need to store it.</summary>
    /// <exception cref="ObjectDisposedException">The handle has been transferred (the message says so) or disposed.</exception>
    public Memory<T> Memory => new(GetArray(), 0, _length);

    /// <summary>
    /// Moves ownership to a new handle in O(1): no data is copied and the only allocation is the new handle. Afterwards
    /// this handle is detached: <see cref="IsDetached"/> is true, <see cref="Length"/> reads 0, <see cref="Span"/>,
    /// <see cref="Memory"/> and <see cref="Transfer"/> throw <see cref="ObjectDisposedException"/>, and <see cref="Dispose"/> does nothing.
    /// </summary>
    /// <returns>The new owner of the same memory; the caller must dispose it (or transfer it on).</returns>
    /// <exception cref="ObjectDisposedException">This handle was already transferred (the message says so) or disposed; also the outcome for every loser of racing calls.</exception>
    public OwnedBuffer<T> Transfer()
    {
        int previous = Interlocked.CompareExchange(ref _state, StateTransferred, StateOwned); // atomic claim: of racing Transfer/Dispose calls exactly one sees StateOwned
        if (previous != StateOwned)
        {
            ThrowNotOwned(previous);
        }

        T[]? array = _array; // only the claim winner gets here, and only it nulls _array, so this read cannot race with a write
        Debug.Assert(array is not null);
        Volatile.Write(ref _array, null); // release: a reader of this handle that sees null also sees the new state, for the right exception
        return new OwnedBuffer<T>(array, _length, _pooled);
    }

    /// <summary>
    /// Releases the memory if this handle owns it: a rented array goes back to the pool, exactly once even if Dispose is
    /// called repeatedly or races with <see cref="Transfer"/>. A no-op on a detached or already disposed handle.
    /// </summary>
    public void Dispose()
    {
        int previous = Interlocked.CompareExchange(ref _state, StateDisposed, StateOwned); // atomic claim: only the winner may return the array to the pool
        if (previous != StateOwned)
        {
            return;
        }

        T[]? array = _array; // only the claim winner gets here, and only it nulls _array
        Debug.Assert(array is not null);
        Volatile.Write(ref _array, null); // release: a reader that sees null also sees StateDisposed
        if (_pooled)
        {
            ArrayPool<T>.Shared.Return(array);
            OwnedBufferMetrics.OnReturned();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T[] GetArray()
    {
        T[]? array = Volatile.Read(ref _array); // acquire: pairs with the release in Transfer/Dispose; read once, then used
        if (array is null)
        {
            ThrowNotOwned(Volatile.Read(ref _state)); // acquire: _array is nulled only after the state moved, so the state read here is final
        }

        return array;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotOwned(int state)
    {
        Debug.Assert(state is StateTransferred or StateDisposed);
        throw state == StateTransferred
            ? new ObjectDisposedException(typeof(OwnedBuffer<T>).Name, "The OwnedBuffer was transferred to a new owner; use the handle that Transfer() returned.")
            : new ObjectDisposedException(typeof(OwnedBuffer<T>).Name, "The OwnedBuffer has been disposed.");
    }
}
