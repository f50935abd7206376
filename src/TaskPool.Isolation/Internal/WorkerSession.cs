using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;

namespace TaskPool.Isolation.Internal;

/// <summary>
/// The child side of the protocol. The frames travel on the process's original stdin and stdout, which are moved to fresh descriptors
/// before any handler runs; descriptor 1 then points at stderr and descriptor 0 at /dev/null, so that nothing a handler (or native code)
/// prints can reach the protocol. A reader thread takes frames (run, cancel, shutdown); one job thread runs the handlers, one at a time.
/// </summary>
internal sealed class WorkerSession
{
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly ProcessJobRegistry _registry;
    private readonly string _sharedPrefix;
    private readonly int _pid = Environment.ProcessId;
    private readonly Lock _writeLock = new();
    private readonly Lock _currentLock = new();
    private readonly BlockingCollection<RunRequest> _jobs = new();
    private readonly Dictionary<long, CancellationTokenSource> _cancellations = [];

    private WorkerSession(Stream input, Stream output, ProcessJobRegistry registry, string sharedPrefix)
    {
        _input = input;
        _output = output;
        _registry = registry;
        _sharedPrefix = sharedPrefix;
    }

    /// <summary>Takes over stdin/stdout for the protocol, maps the handlers, says ready, and serves until told to stop or orphaned; never returns.</summary>
    internal static void RunAndExit(int parentPid, string sharedPrefix, Action<ProcessJobRegistry> register)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = NativeMethods.prctl(NativeMethods.PrSetPdeathsig, NativeMethods.SigKill, 0, 0, 0);
            if (NativeMethods.getppid() != parentPid)
            {
                Environment.Exit(0); // the parent died before the death signal was armed
            }
        }

        (Stream input, Stream output) = TakeOverStandardStreams();
        var registry = new ProcessJobRegistry();
        try
        {
            register(registry);
        }
        catch (Exception exception)
        {
            Console.Error.WriteLine($"TaskPool worker: mapping the handlers failed: {exception}");
            Environment.Exit(70);
        }

        new WorkerSession(input, output, registry, sharedPrefix).Serve();
    }

    private static (Stream Input, Stream Output) TakeOverStandardStreams()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            int protocolIn = NativeMethods.dup(0);
            int protocolOut = NativeMethods.dup(1);
            if (protocolIn >= 0 && protocolOut >= 0)
            {
                using SafeFileHandle devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read);
                _ = NativeMethods.dup2((int)devNull.DangerousGetHandle(), 0);
                _ = NativeMethods.dup2(2, 1);
                Console.SetOut(new StreamWriter(Console.OpenStandardError()) { AutoFlush = true });
                return (new FileStream(new SafeFileHandle(protocolIn, ownsHandle: true), FileAccess.Read, bufferSize: 0),
                        new FileStream(new SafeFileHandle(protocolOut, ownsHandle: true), FileAccess.Write, bufferSize: 0));
            }
        }

        Stream input = Console.OpenStandardInput();
        Stream output = Console.OpenStandardOutput();
        Console.SetIn(TextReader.Null);
        Console.SetOut(new StreamWriter(Console.OpenStandardError()) { AutoFlush = true });
        return (input, output);
    }

    private void Serve()
    {
        var ready = new FrameBuilder(FrameType.Ready);
        ready.WriteInt32(_pid);
        Write(ready);

        var jobThread = new Thread(RunJobs) { Name = "TaskPool worker job", IsBackground = true };
        jobThread.Start();

        while (true)
        {
            byte[]? body;
            try
            {
                body = Frames.Read(_input);
            }
            catch (Exception exception) when (exception is IOException or ProtocolException)
            {
                Console.Error.WriteLine($"TaskPool worker: the parent's channel broke: {exception.Message}");
                Environment.Exit(0);
                return;
            }

            if (body is null)
            {
                Environment.Exit(0); // the parent closed the channel or died: never outlive it
                return;
            }

            var frame = new FrameReader(body);
            switch (frame.Type)
            {
                case FrameType.Run:
                    long jobId = frame.ReadInt64();
                    string jobName = frame.ReadString();
                    (ReadOnlyMemory<byte> inline, string? sharedPath, long sharedLength) = Payload.Read(frame);
                    var cancellation = new CancellationTokenSource();
                    lock (_currentLock)
                    {
                        _cancellations[jobId] = cancellation;
                    }

                    _jobs.Add(new RunRequest(jobId, jobName, inline, sharedPath, sharedLength, cancellation));
                    break;
                case FrameType.Cancel:
                    long canceledId = frame.ReadInt64();
                    lock (_currentLock)
                    {
                        if (_cancellations.TryGetValue(canceledId, out CancellationTokenSource? source))
                        {
                            source.Cancel();
                        }
                    }

                    break;
                case FrameType.Shutdown:
                    _jobs.CompleteAdding();
                    jobThread.Join();
                    Environment.Exit(0);
                    return;
                default:
                    Console.Error.WriteLine($"TaskPool worker: an unknown frame type {(byte)frame.Type} from the parent.");
                    Environment.Exit(0);
                    return;
            }
        }
    }

    private void RunJobs()
    {
        foreach (RunRequest request in _jobs.GetConsumingEnumerable())
        {
            FrameBuilder reply = RunOne(request, request.Cancellation.Token);
            lock (_currentLock)
            {
                _cancellations.Remove(request.JobId);
            }

            request.Cancellation.Dispose();

            Write(reply);
        }
    }

    private FrameBuilder RunOne(RunRequest request, CancellationToken cancellationToken)
    {
        try
        {
            if (!_registry.TryGet(request.JobName, out Func<ReadOnlyMemory<byte>, CancellationToken, byte[]> handler))
            {
                throw new KeyNotFoundException($"No handler is mapped for job '{request.JobName}' in this worker process. Mapped: {string.Join(", ", _registry.JobNames.Order(StringComparer.Ordinal))}.");
            }

            byte[] output;
            if (request.SharedPath is null)
            {
                output = handler(request.Inline, cancellationToken);
            }
            else
            {
                using MappedInput input = SharedPayload.OpenRead(request.SharedPath, request.SharedLength);
                output = handler(input.Memory, cancellationToken);
            }

            ArgumentNullException.ThrowIfNull(output, "the handler's result");
            var result = new FrameBuilder(FrameType.Result, Math.Min(output.Length, SharedPayload.Threshold) + 32);
            result.WriteInt64(request.JobId);
            Payload.Write(result, output, SharedPayload.PathFor(_sharedPrefix, _pid, request.JobId, output: true));
            return result;
        }
        catch (Exception exception)
        {
            ErrorKind kind = exception switch
            {
                OperationCanceledException when cancellationToken.IsCancellationRequested => ErrorKind.Canceled,
                OutOfMemoryException => ErrorKind.OutOfMemory,
                _ => ErrorKind.Exception,
            };
            var error = new FrameBuilder(FrameType.Error, 512);
            error.WriteInt64(request.JobId);
            error.WriteByte((byte)kind);
            error.WriteString(exception.GetType().FullName ?? exception.GetType().Name);
            error.WriteString(exception.Message);
            error.WriteString(exception.StackTrace ?? "");
            return error;
        }
    }

    private void Write(FrameBuilder frame)
    {
        ReadOnlyMemory<byte> bytes = frame.Complete();
        try
        {
            lock (_writeLock)
            {
                _output.Write(bytes.Span);
                _output.Flush();
            }
        }
        catch (IOException)
        {
            Environment.Exit(0); // the parent is gone
        }
    }
}
