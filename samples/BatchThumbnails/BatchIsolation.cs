namespace TaskPool.Samples.BatchThumbnails;

/// <summary>Where the thumbnails are made (<c>--isolation</c>).</summary>
public enum BatchIsolation
{
    /// <summary>On a worker pool's threads, in the tool's process (the default).</summary>
    Thread,

    /// <summary>
    /// In a pool of child processes (TaskPool.Isolation) running the tool's own program: a crash in the native decoder costs one child
    /// and its file (reported as WorkerCrashed), never the run.
    /// </summary>
    Process,
}
