using TaskPool.Samples.Imaging;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>A validated command line.</summary>
internal sealed record BatchSettings(
    string InputDirectory,
    string OutputDirectory,
    ThumbnailOptions Options,
    int Workers,
    bool Recursive,
    bool Overwrite,
    string? JsonReportPath,
    TimeSpan ProgressInterval)
{
    /// <summary>The pipeline's limits: the library defaults (50 megapixels, 20 MiB).</summary>
    public ImageLimits Limits { get; init; } = ImageLimits.Default;

    /// <summary>The library that makes each thumbnail (<c>--engine</c>); <see cref="ThumbnailGenerator.DefaultEngine"/> by default.</summary>
    public ThumbnailEngine Engine { get; init; } = ThumbnailGenerator.DefaultEngine;

    /// <summary>Threads (the default) or child processes.</summary>
    public BatchIsolation Isolation { get; init; } = BatchIsolation.Thread;

    /// <summary>The program the children of <see cref="BatchIsolation.Process"/> run; the tool itself by default.</summary>
    public ChildProgram Children { get; init; } = ChildProgram.ThisTool;

    /// <summary>The part of the input this run processes (<c>--shard i/N</c>); the whole input by default.</summary>
    public BatchShard Shard { get; init; } = BatchShard.All;

    /// <summary>Queue slots per worker: how far the reader may run ahead of the workers.</summary>
    public int QueueSlotsPerWorker { get; init; } = 2;

    /// <summary>The pool's queue capacity: <see cref="QueueSlotsPerWorker"/> per worker.</summary>
    public int QueueCapacity => Workers * QueueSlotsPerWorker;
}
