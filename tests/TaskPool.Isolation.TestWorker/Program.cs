using TaskPool.Isolation;
using TaskPool.Isolation.TestWorker;

// As a child of a ProcessPool this serves jobs and never returns. Before the host moves the protocol off descriptor 1, keep a
// descriptor on the parent's pipe: the garbage handlers write raw bytes on it, as a broken worker would.
RawProtocolOutput.Keep();
ProcessWorkerHost.RunIfWorker(args, Handlers.Register);

// "parent N": a parent process for the orphan test; it starts a pool of N children, prints their pids and waits to be killed.
if (args is ["parent", var count])
{
    return ParentMode.Run(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
}

Console.Error.WriteLine("usage: TaskPool.Isolation.TestWorker parent <process count> (or started by a ProcessPool)");
return 2;
