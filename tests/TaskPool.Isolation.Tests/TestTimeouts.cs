namespace TaskPool.Isolation.Tests;

/// <summary>
/// Liveness bounds: how long a test waits for something that must happen before it declares a hang.
/// They are never performance thresholds; a healthy run meets them by orders of magnitude.
/// </summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    public static async Task<T> WaitOrFail<T>(this Task<T> task, string what)
    {
        Task finished = await Task.WhenAny(task, Task.Delay(Hang));
        Assert.True(ReferenceEquals(finished, task), $"Timed out waiting for: {what}");
        return await task;
    }

    public static async Task<T> WaitOrFail<T>(this ValueTask<T> task, string what) => await task.AsTask().WaitOrFail(what);

    public static async Task<TException> ThrowsWithin<TException>(ValueTask<byte[]> task, string what)
        where TException : Exception
    {
        Task<byte[]> asTask = task.AsTask();
        Task finished = await Task.WhenAny(asTask, Task.Delay(Hang));
        Assert.True(ReferenceEquals(finished, asTask), $"Timed out waiting for: {what}");
        return await Assert.ThrowsAnyAsync<TException>(() => asTask);
    }

    public static void SpinUntil(Func<bool> condition, string what)
        => Assert.True(SpinWait.SpinUntil(condition, Hang), $"Timed out waiting for: {what}");
}
