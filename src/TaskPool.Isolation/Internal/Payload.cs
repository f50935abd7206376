namespace TaskPool.Isolation.Internal;

/// <summary>Encodes a payload in a frame: kind 0 = inline bytes; kind 1 = a shared-memory path and a length.</summary>
internal static class Payload
{
    private const byte Inline = 0;
    private const byte Shared = 1;

    /// <summary>Writes <paramref name="data"/> inline, or into a new mapping at <paramref name="sharedPath"/> when it is large.</summary>
    /// <returns>Whether a mapping was created (the caller owns its deletion).</returns>
    internal static bool Write(FrameBuilder frame, ReadOnlySpan<byte> data, string sharedPath)
    {
        if (data.Length < SharedPayload.Threshold)
        {
            frame.WriteByte(Inline);
            frame.WriteBytes(data);
            return false;
        }

        SharedPayload.Write(sharedPath, data);
        frame.WriteByte(Shared);
        frame.WriteString(sharedPath);
        frame.WriteInt64(data.Length);
        return true;
    }

    /// <summary>Reads a payload: inline bytes, or the path and length of a mapping.</summary>
    internal static (ReadOnlyMemory<byte> Inline, string? SharedPath, long SharedLength) Read(FrameReader frame)
    {
        byte kind = frame.ReadByte();
        return kind switch
        {
            Inline => (frame.ReadBytes(), null, 0),
            Shared => (default, frame.ReadString(), frame.ReadInt64()),
            _ => throw new ProtocolException($"An unknown payload kind {kind}."),
        };
    }
}
