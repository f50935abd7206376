using System.Runtime.InteropServices;

namespace TaskPool.Isolation.Internal;

/// <summary>The few libc calls the worker side needs on Unix.</summary>
internal static partial class NativeMethods
{
    internal const int PrSetPdeathsig = 1;
    internal const int SigKill = 9;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int dup(int fd);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int dup2(int oldFd, int newFd);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc")]
    internal static partial int getppid();
}
