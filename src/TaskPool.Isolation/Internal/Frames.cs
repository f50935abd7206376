using System.Buffers.Binary;

namespace TaskPool.Isolation.Internal;

/// <summary>Reads and writes length-prefixed frames on a pipe.</summary>
internal static class Frames
{
    internal const int HeaderSize = 4;

    /// <summary>The largest body accepted; a larger length prefix is garbage. Payloads of <see cref="SharedPayload.Threshold"/> and more never travel inline.</summary>
    internal const int MaxBodySize = 16 << 20;

    /// <summary>Reads one frame's body; <see langword="null"/> at a clean end of stream (between frames).</summary>
    internal static async ValueTask<byte[]?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] header = new byte[HeaderSize];
        int read = await ReadAtLeastAsync(stream, header, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }

        if (read < HeaderSize)
        {
            throw new ProtocolException("The stream ended inside a frame header.");
        }

        byte[] body = new byte[CheckLength(BinaryPrimitives.ReadInt32LittleEndian(header))];
        if (await ReadAtLeastAsync(stream, body, cancellationToken).ConfigureAwait(false) < body.Length)
        {
            throw new ProtocolException("The stream ended inside a frame body.");
        }

        return body;
    }

    /// <summary>Blocking version of <see cref="ReadAsync"/>, for the child's reader thread.</summary>
    internal static byte[]? Read(Stream stream)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        int read = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        if (read == 0)
        {
            return null;
        }

        if (read < HeaderSize)
        {
            throw new ProtocolException("The stream ended inside a frame header.");
        }

        byte[] body = new byte[CheckLength(BinaryPrimitives.ReadInt32LittleEndian(header))];
        if (stream.ReadAtLeast(body, body.Length, throwOnEndOfStream: false) < body.Length)
        {
            throw new ProtocolException("The stream ended inside a frame body.");
        }

        return body;
    }

    private static int CheckLength(int length)
    {
        if (length is < 1 or > MaxBodySize)
        {
            throw new ProtocolException($"An absurd frame length prefix: {length} (expected 1 to {MaxBodySize}).");
        }

        return length;
    }

    private static async ValueTask<int> ReadAtLeastAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
        => await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
}
