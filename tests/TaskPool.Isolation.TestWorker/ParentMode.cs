namespace TaskPool.Isolation.TestWorker;

/// <summary>A parent process that owns a pool, prints its children's pids and waits to be killed.</summary>
internal static class ParentMode
{
    public static int Run(int processCount)
    {
        // Default WorkerPath: this very program, through the dotnet host when run with `dotnet TestWorker.dll`.
        var pool = new ProcessPool(new ProcessPoolOptions { Name = "orphan-test", ProcessCount = processCount });
        for (int i = 0; i < processCount; i++)
        {
            pool.RunAsync("echo", new byte[] { 1 }).AsTask().GetAwaiter().GetResult(); // at least one handshake done
        }

        Console.WriteLine("PIDS " + string.Join(' ', pool.GetProcessIds()));
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }
}
