using System.Buffers.Binary;
using System.Text;

namespace TaskPool.Isolation.Internal;

/// <summary>Builds one frame: a little-endian int32 body length, then the body (its first byte is the <see cref="FrameType"/>).</summary>
internal sealed class FrameBuilder
{
    private byte[] _buffer;
    private int _length;

    internal FrameBuilder(FrameType type, int capacity = 64)
    {
        _buffer = new byte[Math.Max(capacity, 16) + Frames.HeaderSize + 1];
        _length = Frames.HeaderSize;
        WriteByte((byte)type);
    }

    internal void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    internal void WriteInt32(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    internal void WriteInt64(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    internal void WriteString(string value)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        WriteInt32(byteCount);
        Ensure(byteCount);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    internal void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    /// <summary>Fills in the length prefix and returns the frame's bytes.</summary>
    internal ReadOnlyMemory<byte> Complete()
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer, _length - Frames.HeaderSize);
        return _buffer.AsMemory(0, _length);
    }

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}
