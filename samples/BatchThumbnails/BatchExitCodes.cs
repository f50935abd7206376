namespace TaskPool.Samples.BatchThumbnails;

/// <summary>The exit codes of <c>taskpool-thumbs</c>.</summary>
public static class BatchExitCodes
{
    /// <summary>Every file became a thumbnail (or was skipped because its output already existed).</summary>
    public const int Success = 0;

    /// <summary>Bad arguments: a missing input folder, an output folder that cannot be written, an option out of range.</summary>
    public const int UsageError = 1;

    /// <summary>The run went to its end but some files failed; the report lists each with its reason.</summary>
    public const int SomeFailed = 2;

    /// <summary>The run was canceled (Ctrl+C, SIGTERM, or the caller's token): 128 + SIGINT, as shells report it.</summary>
    public const int Canceled = 130;
}
