namespace TaskPool.Isolation.Tests;

/// <summary>
/// Shuts a pool down at the end of a test: gracefully, forced after <see cref="TestTimeouts.Hang"/>, so that a failed assertion
/// with a job still running ends the test instead of hanging it.
/// </summary>
internal sealed class PoolScope(ProcessPool pool) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        using var force = new CancellationTokenSource(TestTimeouts.Hang);
        await pool.ShutdownAsync(force.Token);
    }
}
