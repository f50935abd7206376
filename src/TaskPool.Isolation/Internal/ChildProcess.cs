using System.Diagnostics;
using System.Globalization;

namespace TaskPool.Isolation.Internal;

/// <summary>
/// One running child, as the parent sees it: its pipes, a read loop that turns frames into replies, its stderr forwarded to the log,
/// and the signals a slot waits on (ready, dead, over its memory limit). Anything that is not a well-formed expected frame marks it dead.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int StderrTailLines = 8;

    private readonly Process _process;
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly IsolationLog _log;
    private readonly string _poolName;
    private readonly Queue<string> _stderrTail = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _dead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _memoryExceeded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<ChildReply>? _pending;
    private long _pendingJobId;

    private ChildProcess(Process process, IsolationLog log, string poolName)
    {
        _process = process;
        _log = log;
        _poolName = poolName;
        Pid = process.Id;
        _input = process.StandardInput.BaseStream;
        _output = process.StandardOutput.BaseStream;
        process.ErrorDataReceived += OnStderrLine;
        process.BeginErrorReadLine();
        _ = ReadLoopAsync();
    }

    internal int Pid { get; }

    /// <summary>Completes when the child said ready.</summary>
    internal Task Ready => _ready.Task;

    /// <summary>Completes, with the reason, when the child's output ended or it broke the protocol.</summary>
    internal Task<string> Dead => _dead.Task;

    /// <summary>Completes when the memory watchdog saw the child past its limit.</summary>
    internal Task MemoryExceeded => _memoryExceeded.Task;

    /// <summary>Jobs this child has answered.</summary>
    internal int JobsAnswered { get; set; }

    internal static async Task<ChildProcess> StartAsync(ProcessStartInfo startInfo, IsolationLog log, string poolName)
        => new(await ChildSpawner.StartAsync(startInfo).ConfigureAwait(false), log, poolName);

    /// <summary>Expects the reply to job <paramref name="jobId"/>; call before sending it.</summary>
    internal Task<ChildReply> ExpectReply(long jobId)
    {
        var pending = new TaskCompletionSource<ChildReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _pendingJobId, jobId); // read by the read loop before it takes _pending
        Volatile.Write(ref _pending, pending); // published last: the read loop then sees the id
        return pending.Task;
    }

    /// <summary>Writes a frame; false when the pipe is broken (the child is dead or dying: <see cref="Dead"/> tells).</summary>
    internal async Task<bool> TrySendAsync(FrameBuilder frame)
    {
        try
        {
            await _input.WriteAsync(frame.Complete()).ConfigureAwait(false);
            await _input.FlushAsync().ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            _dead.TrySetResult($"its input pipe broke ({exception.Message})");
            return false;
        }
    }

    internal void SignalMemoryExceeded() => _memoryExceeded.TrySetResult();

    /// <summary>Kills the child's whole process tree; never throws.</summary>
    internal void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }

    /// <summary>Waits for the child to exit (killing it past <paramref name="bound"/>) and returns its exit code and the signal that ended it, if any.</summary>
    internal async Task<(int? ExitCode, int? Signal)> WaitForExitAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return (null, null);
            }
        }

        int code = _process.ExitCode;
        if (!OperatingSystem.IsWindows() && code is > 128 and < 128 + 65)
        {
            return (null, code - 128); // .NET reports a death by signal N as 128 + N on Unix
        }

        return (code, null);
    }

    /// <summary>Asks the child to exit once idle; kills it past <paramref name="bound"/>.</summary>
    internal async Task StopAsync(TimeSpan bound)
    {
        if (await TrySendAsync(new FrameBuilder(FrameType.Shutdown)).ConfigureAwait(false))
        {
            try
            {
                _input.Close();
            }
            catch (IOException)
            {
                // Already gone.
            }
        }

        await WaitForExitAsync(bound).ConfigureAwait(false);
    }

    /// <summary>The child's resident memory in bytes; null when it cannot be read.</summary>
    internal long? ReadResidentBytes()
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                string statm = File.ReadAllText($"/proc/{Pid}/statm");
                string[] fields = statm.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
            }

            _process.Refresh();
            return _process.WorkingSet64;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The last lines the child wrote to stderr, for crash messages.</summary>
    internal string StderrTail()
    {
        lock (_stderrTail)
        {
            return string.Join(Environment.NewLine, _stderrTail);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void OnStderrLine(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is not { } line)
        {
            return;
        }

        lock (_stderrTail)
        {
            _stderrTail.Enqueue(line);
            if (_stderrTail.Count > StderrTailLines)
            {
                _stderrTail.Dequeue();
            }
        }

        _log.ChildOutput(_poolName, Pid, line);
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                byte[]? body = await Frames.ReadAsync(_output, CancellationToken.None).ConfigureAwait(false);
                if (body is null)
                {
                    _dead.TrySetResult("it exited (its output pipe closed)");
                    return;
                }

                var frame = new FrameReader(body);
                if (frame.Type == FrameType.Ready)
                {
                    int pid = frame.ReadInt32();
                    if (pid != Pid || _ready.Task.IsCompleted)
                    {
                        throw new ProtocolException($"An unexpected ready frame (pid {pid}).");
                    }

                    _ready.TrySetResult();
                    continue;
                }

                if (!_ready.Task.IsCompleted)
                {
                    throw new ProtocolException($"A {frame.Type} frame before the ready handshake.");
                }

                ChildReply reply = frame.Type switch
                {
                    FrameType.Result => ReadResult(frame),
                    FrameType.Error => ReadError(frame),
                    _ => throw new ProtocolException($"An unknown frame type {(byte)frame.Type}."),
                };

                TaskCompletionSource<ChildReply>? pending = Interlocked.Exchange(ref _pending, null); // one reply per job: the first frame takes it
                if (pending is null || Volatile.Read(ref _pendingJobId) != reply.JobId) // the id was published before _pending
                {
                    SharedPayload.Delete(reply.SharedPath is { } path && path.Contains($"-c{Pid}-", StringComparison.Ordinal) ? path : null);
                    throw new ProtocolException($"A reply to job {reply.JobId}, which it was not running.");
                }

                pending.TrySetResult(reply);
            }
        }
        catch (Exception exception) when (exception is ProtocolException or IOException or ObjectDisposedException)
        {
            _dead.TrySetResult($"it broke the protocol: {exception.Message}");
            Kill();
        }
    }

    private static ChildReply ReadResult(FrameReader frame)
    {
        long jobId = frame.ReadInt64();
        (ReadOnlyMemory<byte> inline, string? sharedPath, long sharedLength) = Payload.Read(frame);
        return new ChildReply(FrameType.Result, jobId, inline, sharedPath, sharedLength, ErrorKind.Exception, "", "", "");
    }

    private static ChildReply ReadError(FrameReader frame)
    {
        long jobId = frame.ReadInt64();
        var kind = (ErrorKind)frame.ReadByte();
        if (!Enum.IsDefined(kind))
        {
            throw new ProtocolException($"An unknown error kind {(byte)kind}.");
        }

        return new ChildReply(FrameType.Error, jobId, default, null, 0, kind, frame.ReadString(), frame.ReadString(), frame.ReadString());
    }
}
