using System.Runtime.ExceptionServices;

namespace TaskPool.Tests.Memory;

/// <summary>A dedicated background thread (never the .NET thread pool) that records what its body threw.</summary>
internal sealed class TestThread
{
    private static readonly TimeSpan s_joinTimeout = TimeSpan.FromSeconds(30);
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;

    private TestThread(Action body, string name)
    {
        _thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception ex)
            {
                _failure = ExceptionDispatchInfo.Capture(ex);
            }
        })
        {
            IsBackground = true, // a thread stuck because of a bug must not keep the test host alive
            Name = name,
        };
    }

    public bool IsAlive => _thread.IsAlive;

    public ThreadState ThreadState => _thread.ThreadState;

    public static TestThread Start(Action body, string name = "test")
    {
        var thread = new TestThread(body, name);
        thread._thread.Start();
        return thread;
    }

    /// <summary>Joins with a generous bound (a hang fails the test instead of the run) and rethrows what the body threw.</summary>
    public void Join()
    {
        Assert.True(_thread.Join(s_joinTimeout), $"Thread '{_thread.Name}' did not finish within {s_joinTimeout}.");
        _failure?.Throw();
    }

    public void Interrupt() => _thread.Interrupt();

    /// <summary>Spins (with short sleeps) until <paramref name="condition"/> holds; fails after a generous bound.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        long deadline = Environment.TickCount64 + (long)s_joinTimeout.TotalMilliseconds;
        var spinner = default(SpinWait);
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, $"Timed out waiting until {what}.");
            spinner.SpinOnce(sleep1Threshold: 20);
        }
    }
}
