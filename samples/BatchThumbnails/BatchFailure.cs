namespace TaskPool.Samples.BatchThumbnails;

/// <summary>A file that did not become a thumbnail.</summary>
/// <param name="Path">The file's path relative to the input folder, with '/' separators.</param>
/// <param name="Reason">
/// The kind of failure: an <see cref="Imaging.ImageRejectionReason"/> name (Empty, TooLarge, NotAnImage, UnsupportedFormat,
/// Truncated, TooManyPixels), or ReadError, WriteError, OutputConflict (two inputs map to one output name), WorkerCrashed (with <c>--isolation process</c>: the child
/// process making the thumbnail died; the message says how, e.g. "worker process crashed: signal 9") or Error.
/// </param>
/// <param name="Message">What is wrong, in words.</param>
public sealed record BatchFailure(string Path, string Reason, string Message);
