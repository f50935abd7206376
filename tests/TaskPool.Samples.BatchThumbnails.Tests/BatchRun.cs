using System.Diagnostics;

namespace TaskPool.Samples.BatchThumbnails.Tests;

/// <summary>Runs the command in-process, capturing what it writes, or as the built tool in a child process.</summary>
internal static class BatchRun
{
    private static readonly TimeSpan s_processTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The test worker program (tests/TaskPool.Samples.BatchThumbnails.TestWorker), copied next to the tests: children that crash on a marked image.</summary>
    public static ChildProgram CrashingChildren { get; } =
        ChildProgram.OnDotnetHost(Path.Combine(AppContext.BaseDirectory, "TaskPool.Samples.BatchThumbnails.TestWorker.dll"));

    public static async Task<(int ExitCode, string Output)> InProcessAsync(ChildProgram children, CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        int exitCode = await BatchCommand.RunAsync(args, output, interactive: false, children, cancellationToken);
        return (exitCode, output.ToString());
    }

    public static Task<(int ExitCode, string Output)> InProcessAsync(CancellationToken cancellationToken, params string[] args) =>
        InProcessAsync(ChildProgram.ThisTool, cancellationToken, args);

    public static Task<(int ExitCode, string Output)> InProcessAsync(params string[] args) => InProcessAsync(CancellationToken.None, args);

    /// <summary>
    /// Runs the built tool as <c>dotnet taskpool-thumbs.dll ...</c> with stdout and stderr piped; <paramref name="whileRunning"/> gets the
    /// process once it started. Killed (with its tree) and failed when it runs past 60 s.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> AsChildProcessAsync(Action<Process>? whileRunning, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "taskpool-thumbs.dll");
        Assert.True(File.Exists(dll), $"The tool is not built next to the tests: {dll}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        whileRunning?.Invoke(process);
        using var timeout = new CancellationTokenSource(s_processTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
