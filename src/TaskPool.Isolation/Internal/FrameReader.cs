using System.Buffers.Binary;
using System.Text;

namespace TaskPool.Isolation.Internal;

/// <summary>Parses one frame's body; every read is bounds-checked and throws <see cref="ProtocolException"/> past the end.</summary>
internal sealed class FrameReader
{
    private readonly byte[] _body;
    private int _position;

    internal FrameReader(byte[] body)
    {
        _body = body;
        if (body.Length < 1)
        {
            throw new ProtocolException("An empty frame.");
        }

        Type = (FrameType)body[0];
        _position = 1;
    }

    internal FrameType Type { get; }

    internal byte ReadByte()
    {
        Need(1);
        return _body[_position++];
    }

    internal int ReadInt32()
    {
        Need(4);
        int value = BinaryPrimitives.ReadInt32LittleEndian(_body.AsSpan(_position));
        _position += 4;
        return value;
    }

    internal long ReadInt64()
    {
        Need(8);
        long value = BinaryPrimitives.ReadInt64LittleEndian(_body.AsSpan(_position));
        _position += 8;
        return value;
    }

    internal string ReadString()
    {
        int length = ReadLength();
        try
        {
            string value = Encoding.UTF8.GetString(_body, _position, length);
            _position += length;
            return value;
        }
        catch (ArgumentException exception)
        {
            throw new ProtocolException("A malformed string in a frame.", exception);
        }
    }

    internal ReadOnlyMemory<byte> ReadBytes()
    {
        int length = ReadLength();
        var value = new ReadOnlyMemory<byte>(_body, _position, length);
        _position += length;
        return value;
    }

    private int ReadLength()
    {
        int length = ReadInt32();
        if (length < 0)
        {
            throw new ProtocolException($"A negative length ({length}) in a frame.");
        }

        Need(length);
        return length;
    }

    private void Need(int count)
    {
        if (count > _body.Length - _position)
        {
            throw new ProtocolException($"A truncated {Type} frame: {count} more byte(s) expected at offset {_position} of {_body.Length}.");
        }
    }
}
