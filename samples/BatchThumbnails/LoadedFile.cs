using System.Diagnostics;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>
/// An input file read into a pooled buffer, on its way into a thread-lane job: the job disposes it as soon as the thumbnail is made,
/// and the lane disposes the ones whose job never ran (disposing twice is a no-op).
/// </summary>
[DebuggerDisplay("{File.Relative}, {Bytes.Length} bytes")]
internal sealed class LoadedFile(BatchFile file, OwnedBuffer<byte> bytes) : IDisposable
{
    public BatchFile File { get; } = file;

    /// <summary>The whole file; empty once disposed.</summary>
    public OwnedBuffer<byte> Bytes { get; } = bytes;

    /// <summary>Gives the buffer back to the array pool.</summary>
    public void Dispose() => Bytes.Dispose();
}
