using System.Diagnostics;
using System.Reflection;
using System.Text;
using TaskPool.Isolation;
using TaskPool.Samples.Imaging;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>The child-process side of <c>--isolation process</c>, and how the parent starts it.</summary>
internal static class ProcessWorker
{
    /// <summary>
    /// TEST-ONLY crash hook, off by default: when a child has this environment variable set to a non-empty marker, a job whose image
    /// starts with the marker's UTF-8 bytes kills its own child process with SIGKILL, as a native crash in a decoder would end it.
    /// The parent sets it on its children only with the hidden <c>--test-crash-marker</c> option; nothing else reads it.
    /// </summary>
    public const string TestCrashMarkerVariable = "TASKPOOL_THUMBS_TEST_CRASH_MARKER";

    /// <summary>Serves thumbnail jobs when this process is a child of a <see cref="ProcessPool"/>; returns at once otherwise.</summary>
    public static void RunIfWorker(string[] args) =>
        ProcessWorkerHost.RunIfWorker(args, static registry => registry.Map(ThumbnailJob.JobName, Run));

    /// <summary>The options of the tool's process pool: its children run this assembly's program, whoever hosts the parent.</summary>
    public static ProcessPoolOptions CreateOptions(int processCount, int queueCapacity, string? testCrashMarker)
    {
        var options = new ProcessPoolOptions
        {
            Name = "thumbs-process",
            ProcessCount = processCount,
            QueueCapacity = queueCapacity,
            FullMode = QueueFullMode.Wait,
        };
        Assembly tool = typeof(ProcessWorker).Assembly;
        if (Assembly.GetEntryAssembly() != tool)
        {
            // Run in-process by another program (the tests): the children are this tool through the dotnet host, not that program.
            options.WorkerPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            options.WorkerArguments.Add(tool.Location);
        }

        if (!string.IsNullOrEmpty(testCrashMarker))
        {
            options.WorkerEnvironment[TestCrashMarkerVariable] = testCrashMarker;
        }

        return options;
    }

    private static byte[] Run(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(TestCrashMarkerVariable) is { Length: > 0 } marker
            && input.Length >= ThumbnailJob.HeaderSize
            && input.Span[ThumbnailJob.HeaderSize..].StartsWith(Encoding.UTF8.GetBytes(marker)))
        {
            using Process self = Process.GetCurrentProcess();
            self.Kill(); // test-only: see TestCrashMarkerVariable
        }

        return ThumbnailJob.Run(input, cancellationToken);
    }
}
