using TaskPool.Isolation;
using TaskPool.Samples.Imaging;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>The child-process side of <c>--isolation process</c>, and how the parent starts it.</summary>
internal static class ProcessWorker
{
    /// <summary>Serves thumbnail jobs when this process is a child of a <see cref="ProcessPool"/>; returns at once otherwise.</summary>
    public static void RunIfWorker(string[] args) =>
        ProcessWorkerHost.RunIfWorker(args, static registry => registry.Map(ThumbnailJob.JobName, ThumbnailJob.Run));

    /// <summary>The options of the tool's process pool, whose children run <paramref name="program"/>.</summary>
    public static ProcessPoolOptions CreateOptions(int processCount, int queueCapacity, ChildProgram program)
    {
        var options = new ProcessPoolOptions
        {
            Name = "thumbs-process",
            ProcessCount = processCount,
            QueueCapacity = queueCapacity,
            FullMode = QueueFullMode.Wait,
            WorkerPath = program.Path,
        };
        foreach (string argument in program.Arguments)
        {
            options.WorkerArguments.Add(argument);
        }

        return options;
    }
}
