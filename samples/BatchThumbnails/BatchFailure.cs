using TaskPool.Isolation;
using TaskPool.Samples.Imaging;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>A file that did not become a thumbnail.</summary>
/// <param name="Path">The file's path relative to the input folder, with '/' separators.</param>
/// <param name="Reason">
/// The kind of failure: an <see cref="Imaging.ImageRejectionReason"/> name (Empty, TooLarge, NotAnImage, UnsupportedFormat,
/// Truncated, TooManyPixels), or ReadError, WriteError, OutputConflict (two inputs map to one output name), WorkerCrashed (with <c>--isolation process</c>: the child
/// process making the thumbnail died; the message says how, e.g. "worker process crashed: signal 9") or Error.
/// </param>
/// <param name="Message">What is wrong, in words.</param>
public sealed record BatchFailure(string Path, string Reason, string Message)
{
    internal const string ReadError = nameof(ReadError);
    internal const string WriteError = nameof(WriteError);
    internal const string OutputConflict = nameof(OutputConflict);

    /// <summary>The failure that <paramref name="exception"/> means for the file at <paramref name="path"/>.</summary>
    /// <param name="path">The file's relative path.</param>
    /// <param name="exception">What went wrong; never a cancellation of the run (that file is not processed, not failed).</param>
    /// <param name="ioReason">The reason of an I/O error at this stage: ReadError or WriteError.</param>
    internal static BatchFailure FromException(string path, Exception exception, string ioReason) => exception switch
    {
        ImageRejectedException rejected => new BatchFailure(path, rejected.Reason.ToString(), rejected.Message),
        WorkerProcessCrashedException crashed => new BatchFailure(path, "WorkerCrashed", $"worker process crashed: {HowItDied(crashed)}"),
        IOException or UnauthorizedAccessException => new BatchFailure(path, ioReason, exception.Message),
        _ => new BatchFailure(path, "Error", $"{exception.GetType().Name}: {exception.Message}"),
    };

    private static string HowItDied(WorkerProcessCrashedException crashed) =>
        crashed.Signal is { } signal ? $"signal {signal}" : crashed.ExitCode is { } code ? $"exit code {code}" : crashed.Reason;
}
