namespace TaskPool.Interleavings.Tests;

/// <summary>The process-wide slot for the driver that schedule points call; a test installs one for its duration.</summary>
internal static class Interleaving
{
    private static IPointDriver? s_driver;

    public static void OnReached(string point) => Volatile.Read(ref s_driver)?.OnReached(point);

    /// <summary>Installs <paramref name="driver"/> until the returned scope is disposed.</summary>
    public static IDisposable Install(IPointDriver driver)
    {
        if (Interlocked.CompareExchange(ref s_driver, driver, null) is not null)
        {
            throw new InvalidOperationException("Another interleaving driver is installed.");
        }

        return new Scope(driver);
    }

    private sealed class Scope(IPointDriver driver) : IDisposable
    {
        public void Dispose() => Interlocked.CompareExchange(ref s_driver, null, driver);
    }
}
