using TaskPool.Isolation;
using TaskPool.Samples.BatchThumbnails.TestWorker;
using TaskPool.Samples.Imaging;

// A child of the batch tool's process pool in its crash tests: the tool's worker entry point (ProcessWorker.RunIfWorker) with the
// crashing job in place of ThumbnailJob.Run. Started any other way, it has nothing to do.
ProcessWorkerHost.RunIfWorker(args, static registry => registry.Map(ThumbnailJob.JobName, CrashingThumbnailJob.Run));
Console.Error.WriteLine($"This program serves the crash tests of taskpool-thumbs as a {nameof(ProcessWorkerHost)} child; it is not run by hand.");
return 1;
