using System.Diagnostics;

namespace TaskPool.Tests.Core;

public sealed class WorkerPoolContextTests
{
    private static readonly AsyncLocal<string?> s_requestId = new();

    [Fact]
    public async Task RunAsync_CallerSetsAsyncLocal_JobSeesIt()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        s_requestId.Value = "req-1";

        string? seen = await pool.RunAsync(static ct => s_requestId.Value);

        Assert.Equal("req-1", seen);
    }

    [Fact]
    public async Task RunAsync_CallerHasActivity_JobSeesItAsCurrent()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        using var activity = new Activity("request").Start();

        string? seenId = await pool.RunAsync(static ct => Activity.Current?.Id);

        Assert.Equal(activity.Id, seenId);
    }

    [Fact]
    public async Task RunAsync_JobSetsAsyncLocalAndSyncContext_NothingLeaksIntoTheNextJob()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });

        // From a caller with no ambient state, so the job runs under the worker's own context.
        (string? Local, bool HasSyncContext) next = await Task.Run(async () =>
        {
            s_requestId.Value = null;
            await pool.RunAsync(static ct =>
            {
                s_requestId.Value = "leaked";
                SynchronizationContext.SetSynchronizationContext(new SynchronizationContext());
                return 0;
            });
            return await pool.RunAsync(static ct => (s_requestId.Value, SynchronizationContext.Current is not null));
        });

        Assert.Null(next.Local);
        Assert.False(next.HasSyncContext);
    }

    [Fact]
    public async Task RunAsync_JobChangesAsyncLocal_CallersValueIsUnchanged()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        s_requestId.Value = "caller";

        await pool.RunAsync(static ct => s_requestId.Value = "job");

        Assert.Equal("caller", s_requestId.Value);
    }

    [Fact]
    public async Task RunAsync_FlowExecutionContextOff_JobDoesNotSeeCallersAsyncLocal()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1, FlowExecutionContext = false });
        s_requestId.Value = "req-2";

        string? seen = await pool.RunAsync(static ct => s_requestId.Value);

        Assert.Null(seen);
    }
}
