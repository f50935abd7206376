using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace TaskPool.Isolation.Internal;

/// <summary>
/// Payloads of <see cref="Threshold"/> bytes and more travel through a shared file in <c>/dev/shm</c> (tmpfs: memory, not disk;
/// the temp folder where there is none) instead of through the pipe; the child maps its input with <see cref="MemoryMappedFile"/>. The parent names every file after its own pid, its pool and the child
/// (<see cref="Prefix"/>), and deletes them when the job ends and, by prefix, when a child dies or the pool shuts down.
/// </summary>
internal static class SharedPayload
{
    /// <summary>Inputs and outputs this large and larger go through shared memory.</summary>
    internal const int Threshold = 1 << 20;

    /// <summary>Where the mappings live.</summary>
    internal static string Directory { get; } = System.IO.Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    /// <summary>The file-name prefix of every mapping of one pool.</summary>
    internal static string Prefix(int parentPid, long poolId) => $"taskpool-{parentPid}-{poolId}-";

    /// <summary>The path of a job's input or output mapping.</summary>
    internal static string PathFor(string prefix, int childPid, long jobId, bool output)
        => Path.Combine(Directory, $"{prefix}c{childPid}-j{jobId}-{(output ? "out" : "in")}");

    /// <summary>Creates the shared file at <paramref name="path"/> holding <paramref name="data"/>.</summary>
    /// <remarks>
    /// One <c>write</c> into tmpfs: the kernel fills whole pages at once, where copying into a fresh mapping would take a page fault
    /// per 4 KiB page (measured about twice as slow for a 16 MiB echo). The reader maps the file (<see cref="OpenRead"/>) or reads it once (<see cref="ReadAll"/>).
    /// </remarks>
    internal static void Write(string path, ReadOnlySpan<byte> data)
    {
        using SafeFileHandle file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, FileOptions.None, data.Length);
        RandomAccess.Write(file, data, 0);
    }

    /// <summary>Copies a shared file of <paramref name="length"/> bytes into a new array (the caller's result), in one <c>read</c>.</summary>
    internal static byte[] ReadAll(string path, long length)
    {
        CheckLength(length);
        SafeFileHandle file = Open(path);
        using (file)
        {
            if (RandomAccess.GetLength(file) != length)
            {
                throw new ProtocolException($"A shared payload holds {RandomAccess.GetLength(file)} bytes instead of {length}.");
            }

            byte[] data = GC.AllocateUninitializedArray<byte>((int)length);
            int total = 0;
            while (total < data.Length)
            {
                int read = RandomAccess.Read(file, data.AsSpan(total), total);
                if (read == 0)
                {
                    throw new ProtocolException("A shared payload ended early.");
                }

                total += read;
            }

            return data;
        }
    }

    /// <summary>Maps a shared file read-only, without a copy; the memory is valid until the result is disposed.</summary>
    internal static MappedInput OpenRead(string path, long length)
    {
        CheckLength(length);
        using SafeFileHandle file = Open(path);
        if (RandomAccess.GetLength(file) != length)
        {
            throw new ProtocolException($"A shared payload holds {RandomAccess.GetLength(file)} bytes instead of {length}.");
        }

        var map = MemoryMappedFile.CreateFromFile(
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), mapName: null, length, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        return new MappedInput(map, (int)length);
    }

    private static void CheckLength(long length)
    {
        if (length < Threshold || length > Array.MaxLength)
        {
            throw new ProtocolException($"A shared payload of {length} bytes is out of range.");
        }
    }

    private static SafeFileHandle Open(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ProtocolException($"A shared payload could not be opened: {exception.Message}", exception);
        }
    }

    /// <summary>Deletes one mapping; never throws.</summary>
    internal static void Delete(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: DeleteAll by prefix sweeps it later.
        }
    }

    /// <summary>Deletes every mapping whose file name starts with <paramref name="namePrefix"/>; never throws.</summary>
    internal static void DeleteAll(string namePrefix)
    {
        try
        {
            foreach (string path in System.IO.Directory.EnumerateFiles(Directory, namePrefix + "*"))
            {
                Delete(path);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort.
        }
    }
}
