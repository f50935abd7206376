using System.Collections.Concurrent;
using System.Diagnostics;

namespace TaskPool.Isolation.Internal;

/// <summary>
/// Starts every child from one dedicated thread that lives as long as the process. On Linux a child's <c>PR_SET_PDEATHSIG</c> fires when
/// the <em>thread</em> that forked it exits; thread-pool threads retire when idle, so forking from them would kill healthy children.
/// </summary>
internal static class ChildSpawner
{
    private static readonly BlockingCollection<(ProcessStartInfo StartInfo, TaskCompletionSource<Process> Started)> s_requests = CreateThread();

    internal static Task<Process> StartAsync(ProcessStartInfo startInfo)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        s_requests.Add((startInfo, started));
        return started.Task;
    }

    private static BlockingCollection<(ProcessStartInfo, TaskCompletionSource<Process>)> CreateThread()
    {
        var requests = new BlockingCollection<(ProcessStartInfo, TaskCompletionSource<Process>)>();
        var thread = new Thread(() =>
        {
            foreach ((ProcessStartInfo startInfo, TaskCompletionSource<Process> started) in requests.GetConsumingEnumerable())
            {
                try
                {
                    started.TrySetResult(Process.Start(startInfo) ?? throw new InvalidOperationException($"'{startInfo.FileName}' did not start."));
                }
                catch (Exception exception)
                {
                    started.TrySetException(exception);
                }
            }
        })
        {
            Name = "TaskPool process spawner",
            IsBackground = true,
        };
        thread.Start();
        return requests;
    }
}
