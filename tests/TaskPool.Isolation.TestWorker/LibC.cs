using System.Runtime.InteropServices;

namespace TaskPool.Isolation.TestWorker;

/// <summary>libc calls that the crash, output and garbage handlers need.</summary>
internal static partial class LibC
{
    [LibraryImport("libc")]
    internal static partial void abort();

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int dup(int fd);

    [LibraryImport("libc")]
    internal static partial nint write(int fd, ReadOnlySpan<byte> buffer, nint count);
}
