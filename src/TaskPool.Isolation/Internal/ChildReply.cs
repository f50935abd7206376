namespace TaskPool.Isolation.Internal;

/// <summary>A child's answer to a job: a result (inline bytes or a shared mapping) or an error.</summary>
internal sealed record ChildReply(
    FrameType Type,
    long JobId,
    ReadOnlyMemory<byte> Inline,
    string? SharedPath,
    long SharedLength,
    ErrorKind ErrorKind,
    string RemoteType,
    string RemoteMessage,
    string RemoteStackTrace);
