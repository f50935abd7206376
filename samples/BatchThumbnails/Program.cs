using System.Runtime.InteropServices;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>The entry point of <c>taskpool-thumbs</c>.</summary>
public static class Program
{
    /// <summary>Runs the command; the first Ctrl+C (or SIGTERM) cancels the run cleanly, a second Ctrl+C kills the process.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <returns>The exit code (see <see cref="BatchExitCodes"/>).</returns>
    public static async Task<int> Main(string[] args)
    {
        ProcessWorker.RunIfWorker(args); // with --isolation process this program is also the child: there it serves jobs and never returns

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancelKey = (_, e) =>
        {
            if (cancellation.IsCancellationRequested)
            {
                return; // second Ctrl+C: let the process die
            }

            e.Cancel = true;
            Console.Error.WriteLine("Canceling: finishing the files in flight (Ctrl+C again to kill)...");
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancelKey;
        using PosixSignalRegistration onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancellation.Cancel();
        });
        try
        {
            return await BatchCommand.RunAsync(args, Console.Out, cancellation.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancelKey;
        }
    }
}
