namespace TaskPool.Isolation.TestWorker;

/// <summary>
/// The parent's end of the protocol as this process inherited it on descriptor 1. <see cref="Keep"/> duplicates that descriptor
/// before <see cref="ProcessWorkerHost.RunIfWorker"/> moves the protocol to a private one and points descriptor 1 at stderr; the
/// duplicate is the same pipe, so <see cref="Write"/> puts raw bytes into the stream the parent reads frames from, as a worker with
/// a corrupt protocol writer would. The parent must treat them as this child's crash.
/// </summary>
internal static class RawProtocolOutput
{
    private static int s_descriptor = -1;

    /// <summary>Keeps a descriptor on the pipe behind descriptor 1; call it first thing in Main.</summary>
    internal static void Keep()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            s_descriptor = LibC.dup(1);
        }
    }

    /// <summary>Writes <paramref name="bytes"/> on the parent's pipe, all of them.</summary>
    internal static void Write(ReadOnlySpan<byte> bytes)
    {
        if (s_descriptor < 0)
        {
            throw new PlatformNotSupportedException("The raw protocol descriptor was not kept (Linux and macOS only).");
        }

        while (!bytes.IsEmpty)
        {
            nint written = LibC.write(s_descriptor, bytes, bytes.Length);
            if (written <= 0)
            {
                throw new IOException($"write on the protocol pipe failed (returned {written}).");
            }

            bytes = bytes[(int)written..];
        }
    }
}
