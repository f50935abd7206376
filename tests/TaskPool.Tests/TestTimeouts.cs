namespace TaskPool.Tests;

/// <summary>
/// Liveness bounds: how long a test waits for something that must happen before it declares a hang.
/// They are never performance thresholds; a healthy run meets them by orders of magnitude.
/// </summary>
internal static class TestTimeouts
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

    public static async Task<T> WaitOrFailAsyncResult<T>(this Task<T> task)
    {
        await ((Task)task).WaitOrFailAsync("tasks to finish");
        return await task;
    }

    public static void SpinUntil(Func<bool> condition, string what)
        => Assert.True(SpinWait.SpinUntil(condition, Hang), $"Timed out waiting for: {what}");
}
