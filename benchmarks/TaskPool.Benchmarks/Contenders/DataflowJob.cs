using System.Threading.Tasks.Dataflow;

namespace TaskPool.Benchmarks.Contenders;

/// <summary>A job for an <see cref="ActionBlock{TInput}"/>: its input and the completion its submitter awaits.</summary>
public sealed record DataflowJob(int Steps, TaskCompletionSource<long> Completion)
{
    /// <summary>An ActionBlock with a bounded queue that runs <see cref="DataflowJob"/>s on <paramref name="degreeOfParallelism"/> ThreadPool threads at most.</summary>
    public static ActionBlock<DataflowJob> CreateBlock(int degreeOfParallelism, int capacity) => new(
        static job => job.Completion.SetResult(CpuWork.Spin(job.Steps)),
        new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = degreeOfParallelism, BoundedCapacity = capacity });

    /// <summary>Posts a job (waiting for space if the block is full) and returns its completion.</summary>
    public static async ValueTask<Task<long>> SendAsync(ActionBlock<DataflowJob> block, int steps)
    {
        var completion = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!await block.SendAsync(new DataflowJob(steps, completion)).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The block declined the job.");
        }

        return completion.Task;
    }
}
