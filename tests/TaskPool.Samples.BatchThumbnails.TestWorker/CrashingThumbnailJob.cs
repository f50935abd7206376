using System.Diagnostics;
using TaskPool.Samples.Imaging;

namespace TaskPool.Samples.BatchThumbnails.TestWorker;

/// <summary>
/// The batch tool's thumbnail job (<see cref="ThumbnailJob.Run"/>), except that an image whose bytes start with <see cref="Marker"/>
/// kills the process with SIGKILL first, as a native crash in a decoder would end it.
/// </summary>
public static class CrashingThumbnailJob
{
    /// <summary>The bytes (UTF-8) that make a child kill itself when an image starts with them.</summary>
    public const string Marker = "CRASH-THIS-CHILD";

    private static readonly byte[] s_marker = System.Text.Encoding.UTF8.GetBytes(Marker);

    /// <summary>The handler of <see cref="ThumbnailJob.JobName"/> in this worker.</summary>
    public static byte[] Run(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        if (input.Length >= ThumbnailJob.HeaderSize && input.Span[ThumbnailJob.HeaderSize..].StartsWith(s_marker))
        {
            using Process self = Process.GetCurrentProcess();
            self.Kill();
        }

        return ThumbnailJob.Run(input, cancellationToken);
    }
}
