using Xunit;

namespace TaskPool.TestSupport;

/// <summary>
/// Liveness bounds: how long a test waits for something that must happen before it declares a hang.
/// They are never performance thresholds; a healthy run meets them by orders of magnitude.
/// </summary>
/// <remarks>
/// One set of names: <c>WaitOrFail</c> waits for something that signals (a gate, a task), <c>WaitUntil</c> polls a condition, and
/// <c>ThrowsWithin</c> waits for a job that must fail. The <c>Async</c> forms await; the others block the calling thread (by spinning,
/// for <see cref="WaitUntil"/>), which is what a test needs when the ThreadPool itself is starved.
/// </remarks>
public static class TestTimeouts
{
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    public static void WaitOrFail(this ManualResetEventSlim gate, string what)
        => Assert.True(gate.Wait(Hang), $"Timed out waiting for: {what}");

    public static void WaitOrFail(this CountdownEvent countdown, string what)
        => Assert.True(countdown.Wait(Hang), $"Timed out waiting for: {what}");

    public static async Task WaitOrFailAsync(this Task task, string what)
    {
        Task finished = await Task.WhenAny(task, Task.Delay(Hang));
        Assert.True(ReferenceEquals(finished, task), $"Timed out waiting for: {what}");
        await task;
    }

    public static async Task<T> WaitOrFailAsync<T>(this Task<T> task, string what)
    {
        Task finished = await Task.WhenAny(task, Task.Delay(Hang));
        Assert.True(ReferenceEquals(finished, task), $"Timed out waiting for: {what}");
        return await task;
    }

    public static async Task<T> WaitOrFailAsync<T>(this ValueTask<T> task, string what) => await task.AsTask().WaitOrFailAsync(what);

    /// <summary>Waits for a process-lane job that must fail, and returns its exception (or one derived from it).</summary>
    public static async Task<TException> ThrowsWithinAsync<TException>(ValueTask<byte[]> task, string what)
        where TException : Exception
    {
        Task<byte[]> asTask = task.AsTask();
        Task finished = await Task.WhenAny(asTask, Task.Delay(Hang));
        Assert.True(ReferenceEquals(finished, asTask), $"Timed out waiting for: {what}");
        return await Assert.ThrowsAnyAsync<TException>(() => asTask);
    }

    /// <summary>Spins on the calling thread until <paramref name="condition"/> holds; needs no ThreadPool thread.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
        => Assert.True(SpinWait.SpinUntil(condition, Hang), $"Timed out waiting for: {what}");

    /// <summary>Polls <paramref name="condition"/> every 10 ms until it holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + Hang;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>Polls <paramref name="condition"/> every 10 ms until it holds.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + Hang;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}");
            await Task.Delay(10);
        }
    }
}
