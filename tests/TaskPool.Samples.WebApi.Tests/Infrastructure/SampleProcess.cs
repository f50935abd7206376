using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace TaskPool.Samples.WebApi.Tests.Infrastructure;

/// <summary>
/// The sample server as a separate process (<c>dotnet TaskPool.Samples.WebApi.dll</c> from the test's output folder), on 127.0.0.1 and a
/// free port: for what only a real process shows, such as start-up failure from environment variables and SIGTERM.
/// </summary>
internal sealed partial class SampleProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SampleProcess(IReadOnlyDictionary<string, string> environment, string? cgroupPath)
    {
        var start = new ProcessStartInfo(cgroupPath is null ? "dotnet" : "/bin/sh")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (cgroupPath is not null)
        {
            // The shell joins the cgroup, then execs the server: same process id, so Terminate and Dispose still reach the server.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("echo $$ > \"$0/cgroup.procs\" && exec dotnet \"$@\"");
            start.ArgumentList.Add(cgroupPath);
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TaskPool.Samples.WebApi.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The server's process id.</summary>
    public int ProcessId => _process.Id;

    public static SampleProcess Start(IReadOnlyDictionary<string, string> environment) => new(environment, cgroupPath: null);

    /// <summary>Starts the server inside the cgroup at <paramref name="cgroupPath"/> (a directory under /sys/fs/cgroup), as a container runtime would.</summary>
    public static SampleProcess StartInCgroup(IReadOnlyDictionary<string, string> environment, string cgroupPath) => new(environment, cgroupPath);

    /// <summary>The address from Kestrel's "Now listening on" line.</summary>
    public Task<Uri> ListeningAsync() => _listening.Task.WaitOrFailAsync($"the sample server to listen. Output so far:\n{Output}");

    public async Task<int> ExitCodeAsync()
    {
        await _process.WaitForExitAsync().WaitOrFailAsync($"the sample server to exit. Output so far:\n{Output}");
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as a container runtime or systemd does to stop a service.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            _listening.TrySetException(new InvalidOperationException($"The sample server exited without listening. Output:\n{Output}"));
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        Match match = ListeningLine().Match(line);
        if (match.Success)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
