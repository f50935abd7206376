namespace TaskPool.Benchmarks.Contenders;

/// <summary><c>ThreadPool.UnsafeQueueUserWorkItem</c> with a <see cref="TaskCompletionSource{TResult}"/>: the lowest-level BCL way to run a job and await it.</summary>
public sealed class ThreadPoolJob : TaskCompletionSource<long>, IThreadPoolWorkItem
{
    private readonly int _steps;

    private ThreadPoolJob(int steps)
        : base(TaskCreationOptions.RunContinuationsAsynchronously) => _steps = steps;

    public static Task<long> Run(int steps)
    {
        var job = new ThreadPoolJob(steps);
        ThreadPool.UnsafeQueueUserWorkItem(job, preferLocal: false);
        return job.Task;
    }

    void IThreadPoolWorkItem.Execute() => SetResult(CpuWork.Spin(_steps));
}
