namespace TaskPool;

/// <summary>
/// Process-wide counters of the pooled memory behind <see cref="OwnedBuffer{T}"/>, for tests and soak tests to check
/// that every rental is returned exactly once (<c>Rented - Returned</c> is the memory still out).
/// Counts only real pool rentals: <see cref="OwnedBuffer{T}.Wrap"/> and empty buffers are not counted.
/// </summary>
internal static class OwnedBufferDiagnostics
{
    private static long s_rented;
    private static long s_returned;

    /// <summary>Gets how many arrays <see cref="OwnedBuffer{T}.Rent"/> has taken from the pool since the process started.</summary>
    internal static long Rented => Volatile.Read(ref s_rented); // an untorn 64-bit read on 32-bit platforms too

    /// <summary>Gets how many rented arrays <see cref="OwnedBuffer{T}.Dispose"/> has given back to the pool since the process started.</summary>
    internal static long Returned => Volatile.Read(ref s_returned); // an untorn 64-bit read on 32-bit platforms too

    internal static void OnRented() => Interlocked.Increment(ref s_rented); // atomic: rentals happen on many threads at once

    internal static void OnReturned() => Interlocked.Increment(ref s_returned); // atomic: returns happen on many threads at once
}
