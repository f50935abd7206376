using System.Diagnostics;

namespace TaskPool.Isolation.Internal;

/// <summary>One accepted job: its name, input, caller token and the caller's task. The first of its Try* calls decides its outcome.</summary>
[DebuggerDisplay("Job = {JobName}, input = {Input.Length} bytes, sent = {StartTimestamp != 0}, finished = {IsFinished}")]
internal sealed class ProcessJob
{
    private readonly ProcessPool _pool;
    private readonly TaskCompletionSource<byte[]> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _registration;
    private int _finished;

    internal ProcessJob(ProcessPool pool, string jobName, ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        _pool = pool;
        JobName = jobName;
        Input = input;
        CancellationToken = cancellationToken;
    }

    internal string JobName { get; }

    internal ReadOnlyMemory<byte> Input { get; }

    internal CancellationToken CancellationToken { get; }

    /// <summary>The caller's task; it completes only through the Try* methods.</summary>
    internal Task<byte[]> Task => _completion.Task;

    internal bool IsFinished => Volatile.Read(ref _finished) != 0; // a slot skips jobs that ended while queued

    /// <summary>The timestamp at which a slot sent the job to a child, for the run-time histogram; 0 while queued.</summary>
    internal long StartTimestamp { get; set; }

    /// <summary>From now on a cancel of the caller's token ends the job at once (the slot then tells the child).</summary>
    internal void WatchCancellation()
    {
        if (CancellationToken.CanBeCanceled)
        {
            _registration = CancellationToken.UnsafeRegister(static state => ((ProcessJob)state!).TryCancel(null), this);
        }
    }

    internal bool TryComplete(byte[] result)
    {
        if (!TryFinish(IsolationOutcome.Completed))
        {
            return false;
        }

        _completion.TrySetResult(result);
        return true;
    }

    internal bool TryFail(Exception exception, IsolationOutcome outcome)
    {
        if (!TryFinish(outcome))
        {
            return false;
        }

        _completion.TrySetException(exception);
        return true;
    }

    /// <summary>Ends the job as canceled: by its caller's token (<paramref name="reason"/> null) or by a forced shutdown.</summary>
    internal bool TryCancel(string? reason)
    {
        if (!TryFinish(IsolationOutcome.Canceled))
        {
            return false;
        }

        if (reason is null)
        {
            _completion.TrySetCanceled(CancellationToken);
        }
        else
        {
            _completion.TrySetException(new OperationCanceledException(reason));
        }

        return true;
    }

    private bool TryFinish(IsolationOutcome outcome)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0) // the first ending wins: a job is counted exactly once
        {
            return false;
        }

        Debug.Assert(
            StartTimestamp != 0 || outcome is IsolationOutcome.Canceled or IsolationOutcome.Faulted,
            $"a job can end as {outcome} only after a slot sent it to a child");

        _registration.Unregister();
        _pool.OnJobFinished(outcome, StartTimestamp);
        return true;
    }
}
