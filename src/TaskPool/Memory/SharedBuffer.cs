using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TaskPool;

/// <summary>
/// A fixed-length block of pinned memory shared by the caller and every job: the garbage collector never moves it,
/// so a <see cref="Span"/>, a <see cref="Memory"/> or a <see cref="Pointer"/> taken from it keeps addressing the same
/// elements for as long as the memory is alive.
/// </summary>
/// <typeparam name="T">The element type; unmanaged, so the memory holds no references the GC must track.</typeparam>
/// <remarks>
/// <para>
/// The memory is one array allocated on the pinned object heap (<see cref="GC.AllocateArray{T}(int, bool)"/> with
/// <c>pinned: true</c>). It is zeroed at construction.
/// </para>
/// <para>
/// Thread-safety: every member may be called from any thread at any time, including concurrently. The buffer itself
/// does not synchronize access to the elements: concurrent reads and writes of the same element are data races unless
/// the caller orders them, for example with <see cref="Atomics"/> (for <see cref="int"/> and <see cref="long"/> cells),
/// a lock, or the completion of the job that wrote them.
/// </para>
/// <para>
/// Ownership: whoever constructs the buffer owns it and decides when to call <see cref="Dispose"/>. Jobs borrow it.
/// Disposing while a job still uses it is a bug in the caller: <see cref="Dispose"/> only drops the buffer's reference
/// to its array. Spans and <see cref="Memory{T}"/> values obtained earlier keep the array alive and keep working (they
/// are GC-tracked); a raw <see cref="Pointer"/> obtained earlier does not keep anything alive and dangles as soon as
/// the garbage collector frees the array, which can happen at any time after <see cref="Dispose"/> once nothing else
/// references the array. Members called after <see cref="Dispose"/> throw <see cref="ObjectDisposedException"/>,
/// except <see cref="Length"/>, <see cref="IsDisposed"/> and <see cref="Dispose"/>.
/// </para>
/// </remarks>
[DebuggerDisplay("Length = {Length}, IsDisposed = {IsDisposed}")]
public sealed class SharedBuffer<T> : IDisposable
    where T : unmanaged
{
    private readonly int _length;
    private T[]? _array; // null once disposed

    /// <summary>Allocates a zeroed, pinned buffer of <paramref name="length"/> elements.</summary>
    /// <param name="length">The number of elements. Zero is allowed and gives an empty buffer.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    /// <exception cref="OutOfMemoryException">The memory cannot be allocated.</exception>
    public SharedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);

        // GC.AllocateArray zeroes the memory (AllocateUninitializedArray would not), and pinned: true puts the array
        // on the pinned object heap, where a compacting GC never moves it.
        _array = GC.AllocateArray<T>(length, pinned: true);
        _length = length;
    }

    /// <summary>Gets the number of elements. Constant for the lifetime of the buffer; still readable after <see cref="Dispose"/>.</summary>
    public int Length => _length;

    /// <summary>Gets whether <see cref="Dispose"/> has been called.</summary>
    public bool IsDisposed => Volatile.Read(ref _array) is null; // acquire: pairs with the release in Dispose

    /// <summary>Gets a span over the whole buffer.</summary>
    /// <exception cref="ObjectDisposedException">The buffer has been disposed.</exception>
    public Span<T> Span => new(GetArray());

    /// <summary>
    /// Gets a <see cref="Memory{T}"/> over the whole buffer, for APIs that need to store it (async methods, job state).
    /// It wraps the pinned array directly, so <see cref="Memory{T}.Pin"/> on it is cheap and never moves anything.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The buffer has been disposed.</exception>
    public Memory<T> Memory => new(GetArray());

    /// <summary>Gets a reference to the element at <paramref name="index"/>.</summary>
    /// <param name="index">The element's index, from 0 to <see cref="Length"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not less than <see cref="Length"/>.</exception>
    /// <exception cref="ObjectDisposedException">The buffer has been disposed.</exception>
    public ref T this[int index]
    {
        get
        {
            T[] array = GetArray();
            if ((uint)index >= (uint)array.Length)
            {
                ThrowIndexOutOfRange(index, array.Length);
            }

            return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), (nint)(uint)index);
        }
    }

    /// <summary>
    /// Gets the address of the first element. It stays the same for the lifetime of the buffer (the memory is pinned)
    /// and is valid until <see cref="Dispose"/>: after that it may dangle (see the remarks on <see cref="SharedBuffer{T}"/>).
    /// For an empty buffer the address must not be dereferenced.
    /// </summary>
    /// <remarks>The pointer does not keep the buffer alive: keep a reference to the <see cref="SharedBuffer{T}"/> (for example with <see cref="GC.KeepAlive"/>) for as long as the pointer is used.</remarks>
    /// <exception cref="ObjectDisposedException">The buffer has been disposed.</exception>
    public unsafe T* Pointer => (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(GetArray()));

    /// <summary>
    /// Drops the buffer's reference to its memory; afterwards every member except <see cref="Length"/>,
    /// <see cref="IsDisposed"/> and <see cref="Dispose"/> throws <see cref="ObjectDisposedException"/>.
    /// Idempotent and thread-safe. The memory itself is freed by the garbage collector once nothing references it.
    /// </summary>
    public void Dispose() => Volatile.Write(ref _array, null); // release: a thread that sees null also sees everything before Dispose

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T[] GetArray()
    {
        T[]? array = Volatile.Read(ref _array); // acquire: pairs with the release in Dispose; read once, so a racing Dispose cannot null it between check and use
        if (array is null)
        {
            ThrowDisposed();
        }

        return array;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDisposed() => throw new ObjectDisposedException(typeof(SharedBuffer<T>).Name, "The SharedBuffer has been disposed.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowIndexOutOfRange(int index, int length) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, $"The index must be non-negative and less than the buffer's length ({length}).");
}
