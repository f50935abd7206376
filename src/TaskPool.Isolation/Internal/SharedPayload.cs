using System.IO.MemoryMappedFiles;

namespace TaskPool.Isolation.Internal;

/// <summary>
/// Payloads of <see cref="Threshold"/> bytes and more travel through a memory-mapped file in <c>/dev/shm</c> (the temp folder
/// where there is none) instead of through the pipe. The parent names every file after its own pid, its pool and the child
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

    /// <summary>Creates the mapping at <paramref name="path"/> and copies <paramref name="data"/> into it.</summary>
    internal static unsafe void Write(string path, ReadOnlySpan<byte> data)
    {
        using var map = MemoryMappedFile.CreateFromFile(path, FileMode.CreateNew, mapName: null, data.Length, MemoryMappedFileAccess.ReadWrite);
        using MemoryMappedViewAccessor view = map.CreateViewAccessor(0, data.Length, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        try
        {
            data.CopyTo(new Span<byte>(pointer + view.PointerOffset, data.Length));
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    /// <summary>Copies a mapping of <paramref name="length"/> bytes into a new array.</summary>
    internal static byte[] ReadAll(string path, long length)
    {
        using MappedInput input = OpenRead(path, length);
        return input.Memory.ToArray();
    }

    /// <summary>Maps a file read-only; the memory is valid until the result is disposed.</summary>
    internal static MappedInput OpenRead(string path, long length)
    {
        if (length < Threshold || length > Array.MaxLength)
        {
            throw new ProtocolException($"A shared payload of {length} bytes is out of range.");
        }

        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ProtocolException($"A shared payload could not be opened: {exception.Message}", exception);
        }

        if (file.Length != length)
        {
            file.Dispose();
            throw new ProtocolException($"A shared payload holds {file.Length} bytes instead of {length}.");
        }

        return new MappedInput(MemoryMappedFile.CreateFromFile(file, mapName: null, length, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false), (int)length);
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
