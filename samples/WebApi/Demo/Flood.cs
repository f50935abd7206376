using System.Diagnostics;
using TaskPool.Samples.WebApi.Hashing;

namespace TaskPool.Samples.WebApi.Demo;

/// <summary>
/// One flood: <see cref="Concurrency"/> <see cref="FloodClient"/>s that hash PBKDF2 back to back, in <see cref="Mode"/>, until the deadline
/// or <see cref="Stop"/>. It has ended when every client has finished the hash it held: no work is left behind.
/// </summary>
[DebuggerDisplay("{Mode} flood, {Concurrency} clients, {Hashes} hashes, ended = {Ended.IsCompleted}")]
internal sealed class Flood
{
    private readonly CancellationTokenSource _stop = new(); // never disposed: it is always canceled by the end, which also frees its timer
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _runningClients;
    private long _hashes;
    private long _rejected;
    private long _faulted;
    private Exception? _firstFault;
    private DateTimeOffset? _endedAt;

    public Flood(HashingMode mode, int seconds, int concurrency, int iterations, WorkerPool pool)
    {
        Debug.Assert(Enum.IsDefined(mode));
        Debug.Assert(seconds > 0 && concurrency > 0 && iterations > 0);
        Mode = mode;
        Seconds = seconds;
        Concurrency = concurrency;
        Iterations = iterations;
        Pool = pool;
    }

    public HashingMode Mode { get; }

    public int Seconds { get; }

    public int Concurrency { get; }

    /// <summary>The PBKDF2 iteration count of each hash (the server's <c>Hashing:Iterations</c>).</summary>
    public int Iterations { get; }

    /// <summary>The pool that <see cref="HashingMode.Pool"/> hashes on.</summary>
    public WorkerPool Pool { get; }

    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>Canceled at the deadline, by <see cref="Stop"/>, and when the last client has ended.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>Completes when every client has ended.</summary>
    public Task Ended => _ended.Task;

    public long Hashes => Interlocked.Read(ref _hashes);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long Faulted => Interlocked.Read(ref _faulted);

    /// <summary>The first exception a client ended with, other than cancellation and the pool's shutdown; null when none.</summary>
    public Exception? FirstFault => Volatile.Read(ref _firstFault);

    public void Start()
    {
        Debug.Assert(_runningClients == 0 && StartedAt == default, "a flood starts once");
        StartedAt = DateTimeOffset.UtcNow;
        _runningClients = Concurrency;
        _stop.CancelAfter(TimeSpan.FromSeconds(Seconds));
        for (int i = 0; i < Concurrency; i++)
        {
            new FloodClient(this, i).Send();
        }
    }

    /// <summary>Ends the flood early: queued pool jobs are canceled, and each client ends once the hash it runs returns.</summary>
    public void Stop() => _stop.Cancel();

    public FloodStatus ToStatus()
    {
        DateTimeOffset? endedAt = Ended.IsCompleted ? _endedAt : null;
        long hashes = Hashes; // read after the end: a status that says "ended" has every hash counted
        return new(
            FloodModes.Name(Mode),
            Seconds,
            Concurrency,
            Iterations,
            Running: endedAt is null,
            StartedAt,
            EndsAt: StartedAt.AddSeconds(Seconds),
            endedAt,
            ElapsedSeconds: ((endedAt ?? DateTimeOffset.UtcNow) - StartedAt).TotalSeconds,
            hashes,
            Rejected,
            Faulted);
    }

    internal void OnHashed() => Interlocked.Increment(ref _hashes);

    internal void OnRejected() => Interlocked.Increment(ref _rejected);

    internal void OnFaulted(Exception exception)
    {
        Interlocked.Increment(ref _faulted);
        Interlocked.CompareExchange(ref _firstFault, exception, null);
    }

    internal void OnClientEnded()
    {
        int running = Interlocked.Decrement(ref _runningClients);
        Debug.Assert(running >= 0, "a client ended twice");
        if (running == 0)
        {
            _endedAt = DateTimeOffset.UtcNow;
            _stop.Cancel(); // when every client ended early (the pool shut down), this also stops the deadline timer
            _ended.TrySetResult();
        }
    }
}
