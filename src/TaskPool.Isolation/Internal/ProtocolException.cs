namespace TaskPool.Isolation.Internal;

/// <summary>A peer broke the frame protocol: a bad length prefix, a truncated frame, an unknown type or a malformed body.</summary>
internal sealed class ProtocolException : Exception
{
    public ProtocolException()
    {
    }

    public ProtocolException(string message)
        : base(message)
    {
    }

    public ProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
