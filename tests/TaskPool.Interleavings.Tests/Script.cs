namespace TaskPool.Interleavings.Tests;

/// <summary>
/// A driver that forces one interleaving: it pauses the first thread that reaches a chosen point (optionally only threads that match
/// a filter) until the test releases it, and counts every (thread, point) pair so that the test can wait for what another thread did.
/// Disposing it releases every paused thread, so that a failed test never leaves a pool's thread stuck.
/// </summary>
internal sealed class Script : IPointDriver, IDisposable
{
    /// <summary>How long a step waits for a thread to reach a point that the interleaving may not produce (a design can take another path).</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromMilliseconds(750);

    private readonly Lock _lock = new();
    private readonly List<Pause> _pauses = [];
    private readonly Dictionary<(string Thread, string Point), int> _counts = [];
    private readonly List<string> _trace = [];
    private readonly IDisposable _installation;
    private bool _disposed;

    public Script() => _installation = Interleaving.Install(this);

    /// <summary>Every point reached, in order, as "thread: point": printed by a failing test.</summary>
    public string Trace
    {
        get
        {
            lock (_lock)
            {
                return string.Join(Environment.NewLine, _trace.TakeLast(200));
            }
        }
    }

    /// <summary>Pauses the first thread that reaches <paramref name="point"/> and matches <paramref name="thread"/>, from now on.</summary>
    public Pause PauseAt(string point, Func<string, bool>? thread = null)
    {
        var pause = new Pause(point, thread ?? (_ => true));
        lock (_lock)
        {
            _pauses.Add(pause);
        }

        return pause;
    }

    /// <summary>How often threads that match <paramref name="thread"/> reached <paramref name="point"/>.</summary>
    public int Count(string point, Func<string, bool> thread)
    {
        lock (_lock)
        {
            return _counts.Where(entry => entry.Key.Point == point && thread(entry.Key.Thread)).Sum(entry => entry.Value);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds or <paramref name="timeout"/> passes; returns whether it held.</summary>
    public static bool WaitUntil(Func<bool> condition, TimeSpan timeout) => SpinWait.SpinUntil(condition, timeout);

    void IPointDriver.OnReached(string point)
    {
        string thread = Thread.CurrentThread.Name ?? $"thread {Environment.CurrentManagedThreadId}";
        Pause? pause = null;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _trace.Add($"{thread}: {point}");
            _counts[(thread, point)] = _counts.GetValueOrDefault((thread, point)) + 1;
            pause = _pauses.FirstOrDefault(p => p.TryTake(point, thread));
        }

        pause?.Hold();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        _installation.Dispose();
        foreach (Pause pause in _pauses)
        {
            pause.Release();
        }
    }

    /// <summary>One pause: taken by the first matching thread, held until <see cref="Release"/>.</summary>
    public sealed class Pause(string point, Func<string, bool> threadFilter)
    {
        private readonly ManualResetEventSlim _reached = new();
        private readonly ManualResetEventSlim _released = new();
        private int _taken;

        /// <summary>The name of the thread that reached the point, once one did.</summary>
        public string? Thread { get; private set; }

        public bool IsHeld => _reached.IsSet && !_released.IsSet;

        /// <summary>Waits for a thread to reach the point; false after <paramref name="timeout"/> (the pause is then disarmed).</summary>
        public bool WaitReached(TimeSpan timeout)
        {
            if (_reached.Wait(timeout))
            {
                return true;
            }

            Interlocked.CompareExchange(ref _taken, 2, 0); // disarm: a thread that comes later is not paused
            return _reached.IsSet;
        }

        public void Release() => _released.Set();

        internal bool TryTake(string reachedPoint, string thread)
        {
            if (reachedPoint != point || !threadFilter(thread) || Interlocked.CompareExchange(ref _taken, 1, 0) != 0) // one thread per pause
            {
                return false;
            }

            Thread = thread;
            return true;
        }

        internal void Hold()
        {
            _reached.Set();
            _released.Wait(TimeSpan.FromSeconds(60)); // a test that forgets to release must not hang the run for ever
        }
    }
}
