using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Threading.Channels;
using TaskPool.Isolation.Internal;

namespace TaskPool.Isolation;

/// <summary>
/// The process lane: a fixed number of pre-spawned, supervised child processes that run named jobs on bytes, fed by a bounded queue
/// with the same backpressure, shutdown, stats and metrics contract as <see cref="WorkerPool"/>. A crash, a hang, a stack overflow or a
/// runaway allocation in a job costs one child process and that one job; the child is replaced and queued jobs run on.
/// </summary>
/// <remarks>
/// The children are this program (or <see cref="ProcessPoolOptions.WorkerPath"/>) started with extra arguments; <c>Main</c> must call
/// <see cref="ProcessWorkerHost.RunIfWorker"/> before anything else. Jobs travel as length-prefixed frames over each child's stdin and
/// stdout; inputs and outputs of 1 MiB and more travel through shared memory (<c>/dev/shm</c> on Linux). No child outlives the pool:
/// children exit when their pipe to the parent closes, and on Linux they also get SIGKILL when the parent dies.
/// </remarks>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
public sealed class ProcessPool : IAsyncDisposable, IDisposable
{
    private static long s_nextPoolId;

    private readonly Channel<ProcessJob> _queue;
    private readonly ProcessSlot[] _slots;
    private readonly Task _slotsExited;
    private readonly IsolationMetrics _metrics;
    private readonly TaskCompletionSource _forced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Timer? _memoryWatchdog;
    private readonly string _workerFileName;
    private readonly string[] _workerArguments;
    private long _nextJobId;
    private int _busy;
    private int _closing;
    private int _cleanedUp;
    private long _submitted;
    private long _completed;
    private long _faulted;
    private long _canceled;
    private long _rejected;
    private long _timedOut;
    private long _crashed;
    private long _restarts;

    /// <summary>Creates the pool and starts its <see cref="ProcessPoolOptions.ProcessCount"/> children; each one takes jobs after its ready handshake.</summary>
    /// <param name="options">The settings; the pool keeps a copy.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is invalid (see <see cref="ProcessPoolOptions.Validate"/>).</exception>
    /// <exception cref="System.ComponentModel.Win32Exception">The worker program could not be started.</exception>
    public ProcessPool(ProcessPoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options.Clone();
        Name = Options.Name;
        Log = new IsolationLog(Options.LoggerFactory);
        SharedPrefix = SharedPayload.Prefix(Environment.ProcessId, Interlocked.Increment(ref s_nextPoolId)); // unique per pool in this process
        (_workerFileName, _workerArguments) = ResolveWorkerCommand(Options, SharedPrefix);
        _queue = Channel.CreateBounded<ProcessJob>(new BoundedChannelOptions(Options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });

        _slots = new ProcessSlot[Options.ProcessCount];
        for (int i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new ProcessSlot(this, i);
        }

        try
        {
            Task.WhenAll(_slots.Select(static slot => slot.StartFirstChildAsync())).GetAwaiter().GetResult();
        }
        catch
        {
            _forced.TrySetResult();
            _queue.Writer.TryComplete();
            Task.WhenAll(_slots.Select(static slot => slot.RunAsync())).GetAwaiter().GetResult(); // kills the children that did start
            SharedPayload.DeleteAll(SharedPrefix);
            throw;
        }

        _metrics = new IsolationMetrics(this, Options.MeterFactory);
        _slotsExited = Task.WhenAll(_slots.Select(static slot => Task.Run(slot.RunAsync)));
        if (Options.MemoryLimitBytes is not null)
        {
            _memoryWatchdog = new Timer(static state => ((ProcessPool)state!).CheckMemory(), this, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>The pool's name, from <see cref="ProcessPoolOptions.Name"/>.</summary>
    public string Name { get; }

    /// <summary>The number of child process slots.</summary>
    public int ProcessCount => _slots.Length;

    /// <summary>The most jobs that can wait in the queue.</summary>
    public int QueueCapacity => Options.QueueCapacity;

    internal ProcessPoolOptions Options { get; }

    internal IsolationLog Log { get; }

    internal string SharedPrefix { get; }

    internal ChannelReader<ProcessJob> Reader => _queue.Reader;

    internal Task Forced => _forced.Task;

    internal bool IsForced => _forced.Task.IsCompleted;

    private string DebuggerDisplay
        => $"Name = {Name}, processes = {_slots.Length}, busy = {Volatile.Read(ref _busy)}, queued = {_queue.Reader.Count}/{Options.QueueCapacity}, "
           + (IsForced ? "forced shutdown" : Volatile.Read(ref _closing) != 0 ? "shutting down" : "running");

    /// <summary>
    /// Runs the job named <paramref name="jobName"/> in a child process on <paramref name="input"/> and returns its output bytes.
    /// <paramref name="input"/> must stay unchanged until the returned task completes.
    /// </summary>
    /// <param name="jobName">A name the worker mapped with <see cref="ProcessJobRegistry.Map"/>; an unknown name fails with <see cref="RemoteJobException"/>.</param>
    /// <param name="input">The input bytes; from 1 MiB up they travel through shared memory.</param>
    /// <param name="cancellationToken">
    /// Cancels the job: while queued it never runs; while running the caller's task completes as canceled at once, the child's handler
    /// sees its token fire, and a handler that ignores it longer than <see cref="ProcessPoolOptions.CancelGracePeriod"/> has its child killed.
    /// </param>
    /// <returns>The job's output bytes.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobName"/> is null, empty or white space.</exception>
    /// <exception cref="ObjectDisposedException">The pool is shutting down or shut down.</exception>
    /// <exception cref="WorkerPoolSaturatedException">The queue is full and <see cref="ProcessPoolOptions.FullMode"/> is <see cref="QueueFullMode.Reject"/>.</exception>
    /// <exception cref="RemoteJobException">(From the task.) The handler threw; the child lives on.</exception>
    /// <exception cref="WorkerProcessCrashedException">(From the task.) The child died, broke the protocol or went past the memory limit; it was replaced.</exception>
    /// <exception cref="TimeoutException">(From the task.) The job ran past <see cref="ProcessPoolOptions.JobTimeout"/>; its child was killed and replaced.</exception>
    /// <exception cref="OperationCanceledException">(From the task.) The job was canceled, or the pool was shut down by force.</exception>
    public ValueTask<byte[]> RunAsync(string jobName, ReadOnlyMemory<byte> input, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobName);
        ThrowIfClosing();
        if (cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _submitted); // accepted and canceled at once, as WorkerPool counts it
            OnJobFinished(IsolationOutcome.Canceled, 0);
            return ValueTask.FromCanceled<byte[]>(cancellationToken);
        }

        var job = new ProcessJob(this, jobName, input, cancellationToken);
        if (_queue.Writer.TryWrite(job))
        {
            Accept(job);
            return new ValueTask<byte[]>(job.Task);
        }

        ThrowIfClosing();
        if (Options.FullMode == QueueFullMode.Reject)
        {
            Interlocked.Increment(ref _rejected); // counted apart from the accepted jobs
            _metrics.OnRejected();
            throw new WorkerPoolSaturatedException(Name, Options.QueueCapacity);
        }

        return SubmitWhenSpaceAsync(job, cancellationToken);
    }

    /// <summary>A snapshot of the pool's state and counters.</summary>
    public ProcessPoolStats GetStats()
    {
        int busy = Math.Clamp(Volatile.Read(ref _busy), 0, _slots.Length); // a snapshot: each slot updates it around a job
        return new ProcessPoolStats(
            _slots.Length,
            busy,
            _slots.Length - busy,
            _queue.Reader.Count,
            Options.QueueCapacity,
            Interlocked.Read(ref _submitted), // a torn-free read of a counter other threads bump
            Interlocked.Read(ref _completed), // a torn-free read of a counter other threads bump
            Interlocked.Read(ref _faulted), // a torn-free read of a counter other threads bump
            Interlocked.Read(ref _canceled), // a torn-free read of a counter other threads bump
            Interlocked.Read(ref _rejected), // a torn-free read of a counter other threads bump
            Interlocked.Read(ref _timedOut), // a torn-free read of a counter other threads bump
            Interlocked.Read(ref _crashed), // a torn-free read of a counter other threads bump
            Interlocked.Read(ref _restarts)); // idem
    }

    /// <summary>The pids of the children running now (one per slot that has one), for monitoring.</summary>
    public IReadOnlyList<int> GetProcessIds() => _slots.Select(static slot => slot.ProcessId).Where(static pid => pid != 0).ToArray();

    /// <summary>
    /// Shuts the pool down gracefully: from this call on, submitting throws <see cref="ObjectDisposedException"/> (and callers waiting for
    /// queue space get it too); every job already queued still runs, then every child is asked to exit (and killed if it does not) and the
    /// pool's shared-memory files are removed. Idempotent, and safe to call concurrently.
    /// </summary>
    /// <param name="cancellationToken">When canceled, the shutdown is forced: queued jobs complete as canceled without running, running jobs
    /// complete as canceled, and every child's process tree is killed.</param>
    /// <returns>A task that completes when every child has exited.</returns>
    public async Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        BeginShutdown();
        using (cancellationToken.UnsafeRegister(static state => ((ProcessPool)state!).Force(), this))
        {
            await _slotsExited.ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _cleanedUp, 1) == 0) // the first caller to see the children gone cleans up
        {
            while (_queue.Reader.TryRead(out ProcessJob? job))
            {
                job.TryCancel($"Process pool '{Name}' was shut down before the job started.");
            }

            _memoryWatchdog?.Dispose();
            SharedPayload.DeleteAll(SharedPrefix);
            _metrics.Dispose();
        }
    }

    /// <summary>Same as <see cref="ShutdownAsync(CancellationToken)"/> with no deadline.</summary>
    /// <returns>A task that completes when every child has exited.</returns>
    public ValueTask DisposeAsync() => new(ShutdownAsync());

    /// <summary>Shuts the pool down gracefully and blocks until every child has exited.</summary>
    public void Dispose() => ShutdownAsync().GetAwaiter().GetResult();

    internal void OnJobFinished(IsolationOutcome outcome, long startTimestamp)
    {
        switch (outcome)
        {
            case IsolationOutcome.Completed:
                Interlocked.Increment(ref _completed); // jobs end on many slots at once
                break;
            case IsolationOutcome.Faulted:
                Interlocked.Increment(ref _faulted); // idem
                break;
            case IsolationOutcome.Canceled:
                Interlocked.Increment(ref _canceled); // idem; also from callers' cancel callbacks
                break;
            case IsolationOutcome.TimedOut:
                Interlocked.Increment(ref _timedOut); // idem
                break;
            default:
                Interlocked.Increment(ref _crashed); // idem
                break;
        }

        _metrics?.OnJobFinished(outcome, startTimestamp);
    }

    internal void OnRestart()
    {
        Interlocked.Increment(ref _restarts); // slots restart children concurrently
        _metrics.OnRestart();
    }

    internal void OnBusy(int delta)
    {
        Debug.Assert(delta is 1 or -1);
        int busy = Interlocked.Add(ref _busy, delta); // slots start and end jobs concurrently
        Debug.Assert(busy >= 0 && busy <= _slots.Length, $"busy slots {busy} out of 0..{_slots.Length}");
    }

    internal long NextJobId() => Interlocked.Increment(ref _nextJobId); // ids are unique across slots

    internal ProcessStartInfo CreateStartInfo()
    {
        var startInfo = new ProcessStartInfo(_workerFileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (string argument in _workerArguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (KeyValuePair<string, string> variable in Options.WorkerEnvironment)
        {
            startInfo.Environment[variable.Key] = variable.Value;
        }

        if (Options.MemoryLimitBytes is { } limit)
        {
            startInfo.Environment["DOTNET_GCHeapHardLimit"] = "0x" + limit.ToString("X", CultureInfo.InvariantCulture);
        }

        return startInfo;
    }

    private static (string FileName, string[] Arguments) ResolveWorkerCommand(ProcessPoolOptions options, string sharedPrefix)
    {
        var arguments = new List<string>();
        string fileName;
        if (options.WorkerPath is { } path)
        {
            fileName = path;
        }
        else
        {
            fileName = Environment.ProcessPath ?? throw new InvalidOperationException("This program's path is unknown; set ProcessPoolOptions.WorkerPath.");
            if (Path.GetFileNameWithoutExtension(fileName).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            {
                arguments.Add(Assembly.GetEntryAssembly()?.Location is { Length: > 0 } entry
                    ? entry
                    : throw new InvalidOperationException("This program runs through the dotnet host but its entry assembly is unknown; set ProcessPoolOptions.WorkerPath and WorkerArguments."));
            }
        }

        arguments.AddRange(options.WorkerArguments);
        arguments.Add(ProcessWorkerHost.WorkerArgument);
        arguments.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        arguments.Add(sharedPrefix);
        return (fileName, arguments.ToArray());
    }

    private async ValueTask<byte[]> SubmitWhenSpaceAsync(ProcessJob job, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw ClosingException();
        }

        Accept(job);
        return await job.Task.ConfigureAwait(false);
    }

    private void Accept(ProcessJob job)
    {
        Interlocked.Increment(ref _submitted); // submitters run concurrently
        job.WatchCancellation();
    }

    private void BeginShutdown()
    {
        if (Interlocked.Exchange(ref _closing, 1) == 0) // the first caller closes the queue; the others only wait
        {
            _queue.Writer.TryComplete();
        }
    }

    private void Force()
    {
        _forced.TrySetResult();
        while (_queue.Reader.TryRead(out ProcessJob? job))
        {
            job.TryCancel($"Process pool '{Name}' was shut down by force before the job started.");
        }
    }

    private void CheckMemory()
    {
        long limit = Options.MemoryLimitBytes ?? long.MaxValue;
        foreach (ProcessSlot slot in _slots)
        {
            if (slot.BusyChild is { } child && child.ReadResidentBytes() > limit)
            {
                child.SignalMemoryExceeded();
            }
        }
    }

    private void ThrowIfClosing()
    {
        if (Volatile.Read(ref _closing) != 0) // set once by the first shutdown call
        {
            throw ClosingException();
        }
    }

    private ObjectDisposedException ClosingException()
        => new(nameof(ProcessPool), $"ProcessPool '{Name}' is shutting down and accepts no more jobs.");
}
