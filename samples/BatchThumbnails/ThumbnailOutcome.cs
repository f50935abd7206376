using System.Diagnostics;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>
/// What a thread-lane job made of one file: a thumbnail, a failure, or nothing because the run was canceled. A job returns this
/// instead of throwing, so that one bad file never ends the batch's enumeration.
/// </summary>
[DebuggerDisplay("{File.Relative}: {Failure?.Reason ?? (IsCanceled ? \"canceled\" : \"made\")}")]
internal readonly struct ThumbnailOutcome
{
    private ThumbnailOutcome(BatchFile file, ReadOnlyMemory<byte> thumbnail, BatchFailure? failure, bool isCanceled)
    {
        File = file;
        Thumbnail = thumbnail;
        Failure = failure;
        IsCanceled = isCanceled;
    }

    public BatchFile File { get; }

    /// <summary>The encoded thumbnail; empty unless it was made.</summary>
    public ReadOnlyMemory<byte> Thumbnail { get; }

    /// <summary>Why the file failed; null unless it did.</summary>
    public BatchFailure? Failure { get; }

    /// <summary>Whether the run was canceled before the thumbnail was made.</summary>
    public bool IsCanceled { get; }

    public static ThumbnailOutcome Made(BatchFile file, ReadOnlyMemory<byte> thumbnail) => new(file, thumbnail, null, isCanceled: false);

    public static ThumbnailOutcome Failed(BatchFile file, BatchFailure failure) => new(file, default, failure, isCanceled: false);

    public static ThumbnailOutcome Canceled(BatchFile file) => new(file, default, null, isCanceled: true);
}
