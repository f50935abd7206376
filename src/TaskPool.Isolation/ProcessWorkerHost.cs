using System.Globalization;
using TaskPool.Isolation.Internal;

namespace TaskPool.Isolation;

/// <summary>The entry point of a worker process: call <see cref="RunIfWorker"/> first thing in <c>Main</c>.</summary>
public static class ProcessWorkerHost
{
    /// <summary>The argument by which a <see cref="ProcessPool"/> marks the processes it starts.</summary>
    public const string WorkerArgument = "--taskpool-process-worker";

    /// <summary>
    /// When this process was started by a <see cref="ProcessPool"/> (its arguments carry <see cref="WorkerArgument"/>), maps the handlers,
    /// serves jobs until the pool stops it or its parent dies, and exits the process: it never returns. Otherwise returns at once.
    /// </summary>
    /// <param name="args">The arguments of <c>Main</c>.</param>
    /// <param name="register">Maps the job names to handlers; runs only in a worker process.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The worker arguments are malformed.</exception>
    public static void RunIfWorker(string[] args, Action<ProcessJobRegistry> register)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(register);
        int index = Array.IndexOf(args, WorkerArgument);
        if (index < 0)
        {
            return;
        }

        if (index + 2 >= args.Length || !int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int parentPid))
        {
            throw new ArgumentException($"{WorkerArgument} must be followed by the parent's pid and the shared-memory prefix.", nameof(args));
        }

        WorkerSession.RunAndExit(parentPid, args[index + 2], register);
    }
}
