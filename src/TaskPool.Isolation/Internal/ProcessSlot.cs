using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace TaskPool.Isolation.Internal;

/// <summary>
/// One child-process slot and its supervision loop: start the child (with a bounded back-off while it keeps failing), wait for its
/// ready handshake, take one job at a time from the pool's queue, and replace the child whenever it crashes, breaks the protocol,
/// overruns a deadline, ignores a cancel past the grace period, goes past the memory limit, or reaches <see cref="ProcessPoolOptions.MaxJobsPerProcess"/>.
/// </summary>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
internal sealed class ProcessSlot
{
    private static readonly TimeSpan s_firstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_exitBound = TimeSpan.FromSeconds(5);

    private readonly ProcessPool _pool;
    private readonly int _index;
    private ChildProcess? _child;
    private int _consecutiveFailures;
    private string _restartReason = "";

    internal ProcessSlot(ProcessPool pool, int index)
    {
        _pool = pool;
        _index = index;
    }

    /// <summary>The current child's pid; 0 while none runs.</summary>
    internal int ProcessId => Volatile.Read(ref _child)?.Pid ?? 0; // read by GetProcessIds and the memory watchdog on other threads

    private ChildProcess? _busyChild;

    /// <summary>The child running a job right now, for the memory watchdog.</summary>
    internal ChildProcess? BusyChild => Volatile.Read(ref _busyChild); // written by this slot's loop, read by the watchdog timer

    private string DebuggerDisplay
        => $"Slot {_index}: pid {ProcessId}, {(BusyChild is null ? "idle" : "busy")}, {_consecutiveFailures} consecutive failure(s), last restart: {(_restartReason.Length == 0 ? "none" : _restartReason)}";

    /// <summary>Starts the first child; called by the pool's constructor, whose caller sees any failure.</summary>
    internal async Task StartFirstChildAsync()
        => Volatile.Write(ref _child, await ChildProcess.StartAsync(_pool.CreateStartInfo(), _pool.Log, _pool.Name).ConfigureAwait(false)); // published for ProcessId readers

    internal async Task RunAsync()
    {
        try
        {
            await ServeAsync().ConfigureAwait(false);
        }
        finally
        {
            ChildProcess? child = Interlocked.Exchange(ref _child, null); // the loop is over: no one else touches the child
            if (child is not null)
            {
                if (_pool.IsForced)
                {
                    child.Kill();
                    await child.WaitForExitAsync(s_exitBound).ConfigureAwait(false);
                }
                else
                {
                    await child.StopAsync(s_exitBound).ConfigureAwait(false);
                }

                Retire(child);
            }
        }
    }

    private async Task ServeAsync()
    {
        while (!_pool.IsForced)
        {
            ChildProcess? child = _child;
            if (child is null)
            {
                if (_pool.Reader.Completion.IsCompleted)
                {
                    return; // shutting down with nothing left to run: no replacement needed
                }

                child = await StartReplacementAsync().ConfigureAwait(false);
                if (child is null)
                {
                    continue;
                }
            }

            if (!child.Ready.IsCompleted && !await AwaitReadyAsync(child).ConfigureAwait(false))
            {
                continue;
            }

            Task<bool> waitForWork = _pool.Reader.WaitToReadAsync().AsTask();
            Task first = await Task.WhenAny(waitForWork, child.Dead, _pool.Forced).ConfigureAwait(false);
            if (first == _pool.Forced)
            {
                return;
            }

            if (first == child.Dead)
            {
                (int? exitCode, int? signal) = await child.WaitForExitAsync(s_exitBound).ConfigureAwait(false);
                _pool.Log.ChildCrashed(_pool.Name, child.Pid, null, Describe(child.Dead.Result, exitCode, signal));
                Replace(child, "it crashed while idle", failure: true);
                continue;
            }

            if (!await waitForWork.ConfigureAwait(false))
            {
                return; // the queue is completed and drained: graceful shutdown
            }

            if (!_pool.Reader.TryRead(out ProcessJob? job) || job.IsFinished)
            {
                continue; // another slot took it, or it was canceled while queued
            }

            if (!await RunJobAsync(child, job).ConfigureAwait(false))
            {
                continue;
            }

            if (_pool.Options.MaxJobsPerProcess is { } maxJobs && child.JobsAnswered >= maxJobs)
            {
                await child.StopAsync(s_exitBound).ConfigureAwait(false);
                Replace(child, $"recycled after {maxJobs} job(s)", failure: false);
            }
        }
    }

    private async Task<ChildProcess?> StartReplacementAsync()
    {
        TimeSpan delay = _consecutiveFailures <= 1
            ? TimeSpan.Zero
            : TimeSpan.FromTicks(Math.Min(s_firstBackoff.Ticks << Math.Min(_consecutiveFailures - 2, 20), _pool.Options.MaxRestartDelay.Ticks));
        _pool.Log.Restarting(_pool.Name, _index, _restartReason, delay, _consecutiveFailures);
        if (delay > TimeSpan.Zero)
        {
            await Task.WhenAny(Task.Delay(delay), _pool.Forced).ConfigureAwait(false);
            if (_pool.IsForced)
            {
                return null;
            }
        }

        try
        {
            Debug.Assert(Volatile.Read(ref _child) is null, "a replacement starts only once the previous child was retired");
            ChildProcess child = await ChildProcess.StartAsync(_pool.CreateStartInfo(), _pool.Log, _pool.Name).ConfigureAwait(false);
            Volatile.Write(ref _child, child); // published for ProcessId readers
            _pool.OnRestart();
            return child;
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            _consecutiveFailures++;
            _restartReason = "its start failed";
            _pool.Log.StartFailed(_pool.Name, _index, exception.Message);
            return null;
        }
    }

    private async Task<bool> AwaitReadyAsync(ChildProcess child)
    {
        Task timeout = Task.Delay(_pool.Options.StartTimeout);
        Task first = await Task.WhenAny(child.Ready, child.Dead, timeout, _pool.Forced).ConfigureAwait(false);
        if (child.Ready.IsCompleted)
        {
            return true;
        }

        if (first == _pool.Forced)
        {
            return false;
        }

        string reason = first == timeout ? $"no ready handshake within {_pool.Options.StartTimeout}" : child.Dead.Result;
        child.Kill();
        (int? exitCode, int? signal) = await child.WaitForExitAsync(s_exitBound).ConfigureAwait(false);
        _pool.Log.StartFailed(_pool.Name, _index, $"child {child.Pid}: {Describe(reason, exitCode, signal)} {child.StderrTail()}");
        Replace(child, "its start failed", failure: true);
        return false;
    }

    /// <summary>
    /// Runs one job on the child; returns whether the child is still healthy. The steps: send the job, wait for the first of its
    /// ends (a reply, the child's death, the deadline, the caller's cancel, the memory limit, a forced shutdown), remove the
    /// shared input, then settle the job by whichever end came first.
    /// </summary>
    private async Task<bool> RunJobAsync(ChildProcess child, ProcessJob job)
    {
        long jobId = _pool.NextJobId();
        string? inputPath = null;
        MarkBusy(child);
        using var delays = new CancellationTokenSource(); // the deadline and grace timers: canceled as the job ends
        try
        {
            if (!TryBuildRunFrame(child, job, jobId, out FrameBuilder? run, out inputPath))
            {
                return true; // the input never reached the child: the job failed, the child is untouched
            }

            Task<ChildReply> reply = child.ExpectReply(jobId);
            job.StartTimestamp = Stopwatch.GetTimestamp();
            await child.TrySendAsync(run).ConfigureAwait(false);

            Task timeout = _pool.Options.JobTimeout is { } limit ? Task.Delay(limit, delays.Token) : Task.Delay(Timeout.Infinite, delays.Token);
            await Task.WhenAny(reply, child.Dead, timeout, job.Task, child.MemoryExceeded, _pool.Forced).ConfigureAwait(false);

            // The input is removed before the caller hears of any outcome (unlinking does not disturb a child that still maps it).
            SharedPayload.Delete(inputPath);
            inputPath = null;

            return await SettleAsync(child, job, jobId, reply, timeout, delays.Token).ConfigureAwait(false);
        }
        finally
        {
            delays.Cancel();
            SharedPayload.Delete(inputPath);
            MarkIdle(child);
        }
    }

    private void MarkBusy(ChildProcess child)
    {
        Debug.Assert(Volatile.Read(ref _busyChild) is null, "a slot runs one job at a time");
        Debug.Assert(ReferenceEquals(Volatile.Read(ref _child), child), "a job runs on the slot's current child");
        Volatile.Write(ref _busyChild, child); // published to the memory watchdog
        _pool.OnBusy(+1);
    }

    private void MarkIdle(ChildProcess child)
    {
        Debug.Assert(ReferenceEquals(Volatile.Read(ref _busyChild), child), "only the job's own slot marks it idle");
        Volatile.Write(ref _busyChild, null); // the watchdog stops looking at it
        _pool.OnBusy(-1);
    }

    /// <summary>
    /// Builds the run frame, with the input inline or, from <see cref="SharedPayload.Threshold"/> up, in a shared-memory file
    /// (<paramref name="inputPath"/>). False when that file cannot be written: the job has then failed with an <see cref="IOException"/>.
    /// </summary>
    private bool TryBuildRunFrame(ChildProcess child, ProcessJob job, long jobId, [NotNullWhen(true)] out FrameBuilder? run, out string? inputPath)
    {
        run = new FrameBuilder(FrameType.Run, Math.Min(job.Input.Length, SharedPayload.Threshold) + job.JobName.Length * 3 + 64);
        run.WriteInt64(jobId);
        run.WriteString(job.JobName);
        string path = SharedPayload.PathFor(_pool.SharedPrefix, child.Pid, jobId, output: false);
        try
        {
            inputPath = Payload.Write(run, job.Input.Span, path) ? path : null;
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            SharedPayload.Delete(path);
            job.TryFail(new IOException($"Process pool '{_pool.Name}' could not write the job's input to shared memory: {exception.Message}", exception), IsolationOutcome.Faulted);
            run = null;
            inputPath = null;
            return false;
        }
    }

    /// <summary>Ends the job by the first of its ends that happened, in order of precedence; returns whether the child is still healthy.</summary>
    private async Task<bool> SettleAsync(ChildProcess child, ProcessJob job, long jobId, Task<ChildReply> reply, Task timeout, CancellationToken delays)
    {
        if (reply.IsCompleted)
        {
            return await HandleReplyAsync(child, job, reply.Result).ConfigureAwait(false);
        }

        if (child.Dead.IsCompleted)
        {
            await FailCrashedAsync(child, job, child.Dead.Result).ConfigureAwait(false);
            return false;
        }

        if (child.MemoryExceeded.IsCompleted)
        {
            await FailCrashedAsync(child, job, MemoryReason()).ConfigureAwait(false);
            return false;
        }

        if (timeout.IsCompleted)
        {
            await FailTimedOutAsync(child, job).ConfigureAwait(false);
            return false;
        }

        if (_pool.IsForced)
        {
            job.TryCancel($"Process pool '{_pool.Name}' was shut down by force while job '{job.JobName}' ran; its child process was killed.");
            child.Kill();
            return false;
        }

        Debug.Assert(job.Task.IsCompleted, "the only end left is the caller's cancel, which completed the job");
        return await CancelRunningJobAsync(child, job, jobId, reply, delays).ConfigureAwait(false);
    }

    /// <summary>The job ran past its deadline: its child is killed and replaced, and the caller gets a <see cref="TimeoutException"/>.</summary>
    private async Task FailTimedOutAsync(ChildProcess child, ProcessJob job)
    {
        child.Kill();
        _pool.Log.ChildKilled(_pool.Name, child.Pid, job.JobName, $"the job ran past its timeout of {_pool.Options.JobTimeout}");
        await child.WaitForExitAsync(s_exitBound).ConfigureAwait(false);
        Replace(child, "the previous one was killed after a job timeout", failure: false);
        job.TryFail(new TimeoutException($"Job '{job.JobName}' ran past its timeout of {_pool.Options.JobTimeout} in process pool '{_pool.Name}'; its child process {child.Pid} was killed and replaced."), IsolationOutcome.TimedOut);
    }

    /// <summary>
    /// The caller canceled (the job already completed as canceled): tell the child, and give the handler the grace period to
    /// notice. A handler that answers keeps its child; one that does not has its child killed and replaced.
    /// </summary>
    private async Task<bool> CancelRunningJobAsync(ChildProcess child, ProcessJob job, long jobId, Task<ChildReply> reply, CancellationToken delays)
    {
        var cancel = new FrameBuilder(FrameType.Cancel);
        cancel.WriteInt64(jobId);
        await child.TrySendAsync(cancel).ConfigureAwait(false);
        Task grace = Task.Delay(_pool.Options.CancelGracePeriod, delays);
        await Task.WhenAny(reply, child.Dead, grace, _pool.Forced).ConfigureAwait(false);
        if (reply.IsCompleted)
        {
            SharedPayload.Delete(reply.Result.SharedPath is { } output && output == ExpectedOutputPath(child, jobId) ? output : null);
            child.JobsAnswered++;
            return true;
        }

        child.Kill();
        _pool.Log.ChildKilled(_pool.Name, child.Pid, job.JobName, $"the job ignored its cancellation for more than {_pool.Options.CancelGracePeriod}");
        await child.WaitForExitAsync(s_exitBound).ConfigureAwait(false);
        Replace(child, "the previous one ignored a cancel", failure: false);
        return false;
    }

    private async Task<bool> HandleReplyAsync(ChildProcess child, ProcessJob job, ChildReply reply)
    {
        if (reply.Type == FrameType.Result)
        {
            byte[] output;
            try
            {
                output = reply.SharedPath is null ? reply.Inline.ToArray() : ReadSharedOutput(child, reply);
            }
            catch (ProtocolException exception)
            {
                await FailCrashedAsync(child, job, $"it broke the protocol: {exception.Message}").ConfigureAwait(false);
                return false;
            }

            child.JobsAnswered++;
            _consecutiveFailures = 0;
            job.TryComplete(output);
            return true;
        }

        if (reply.ErrorKind == ErrorKind.OutOfMemory && _pool.Options.MemoryLimitBytes is not null)
        {
            await FailCrashedAsync(child, job, MemoryReason()).ConfigureAwait(false);
            return false;
        }

        child.JobsAnswered++;
        _consecutiveFailures = 0;
        job.TryFail(new RemoteJobException(reply.RemoteType, reply.RemoteMessage, reply.RemoteStackTrace, child.Pid), IsolationOutcome.Faulted);
        return true;
    }

    private byte[] ReadSharedOutput(ChildProcess child, ChildReply reply)
    {
        string expected = ExpectedOutputPath(child, reply.JobId);
        if (reply.SharedPath != expected)
        {
            throw new ProtocolException($"A shared output at an unexpected path '{reply.SharedPath}'.");
        }

        try
        {
            return SharedPayload.ReadAll(expected, reply.SharedLength);
        }
        finally
        {
            SharedPayload.Delete(expected);
        }
    }

    private string ExpectedOutputPath(ChildProcess child, long jobId) => SharedPayload.PathFor(_pool.SharedPrefix, child.Pid, jobId, output: true);

    private async Task FailCrashedAsync(ChildProcess child, ProcessJob job, string reason)
    {
        child.Kill();
        (int? exitCode, int? signal) = await child.WaitForExitAsync(s_exitBound).ConfigureAwait(false);
        string description = Describe(reason, exitCode, signal);
        _pool.Log.ChildCrashed(_pool.Name, child.Pid, job.JobName, description);
        string tail = child.StderrTail();
        Replace(child, "the previous one crashed", failure: true); // its mappings are gone before the caller hears of the crash
        job.TryFail(
            new WorkerProcessCrashedException(
                $"The child process {child.Pid} of process pool '{_pool.Name}' crashed while running job '{job.JobName}': {description}." + (tail.Length > 0 ? $" Its last stderr lines:{Environment.NewLine}{tail}" : ""),
                child.Pid,
                exitCode,
                signal,
                reason),
            IsolationOutcome.Crashed);
    }

    private string MemoryReason() => $"it went past the memory limit of {_pool.Options.MemoryLimitBytes} bytes (MemoryLimitBytes)";

    private static string Describe(string reason, int? exitCode, int? signal)
        => reason + (signal is { } s ? $"; killed by signal {s}" : exitCode is { } code ? $"; exit code {code}" : "");

    private void Replace(ChildProcess child, string reason, bool failure)
    {
        Debug.Assert(ReferenceEquals(Volatile.Read(ref _child), child), "only the slot's current child is replaced");
        if (failure)
        {
            _consecutiveFailures++;
        }

        _restartReason = reason;
        Interlocked.CompareExchange(ref _child, null, child); // only this loop writes _child; the exchange keeps ProcessId readers coherent
        Retire(child);
    }

    private void Retire(ChildProcess child)
    {
        child.Dispose();
        SharedPayload.DeleteAll($"{_pool.SharedPrefix}c{child.Pid}-");
    }
}
