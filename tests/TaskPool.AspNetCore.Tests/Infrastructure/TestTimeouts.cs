namespace TaskPool.AspNetCore.Tests.Infrastructure;

/// <summary>
/// Liveness bounds: how long a test waits for something that must happen before it declares a hang.
/// They are never performance thresholds; a healthy run meets them by orders of magnitude.
/// </summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    public static async Task<T> WaitOrFailAsync<T>(this Task<T> task, string what)
    {
        Task finished = await Task.WhenAny(task, Task.Delay(Hang));
        Assert.True(ReferenceEquals(finished, task), $"Timed out waiting for: {what}");
        return await task;
    }

    public static async Task WaitOrFailAsync(this Task task, string what)
    {
        Task finished = await Task.WhenAny(task, Task.Delay(Hang));
        Assert.True(ReferenceEquals(finished, task), $"Timed out waiting for: {what}");
        await task;
    }

    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + Hang;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}");
            await Task.Delay(10);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + Hang;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}");
            await Task.Delay(10);
        }
    }
}
