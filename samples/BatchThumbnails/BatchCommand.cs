using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using TaskPool.Samples.Imaging;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>
/// The <c>taskpool-thumbs</c> command line: parses the arguments with System.CommandLine, runs the batch and returns the exit code
/// (see <see cref="BatchExitCodes"/>). <see cref="Program"/> calls it; tests call it in-process.
/// </summary>
public static class BatchCommand
{
    /// <summary>The command's name on the command line.</summary>
    public const string CommandName = "taskpool-thumbs";

    /// <summary>Runs the command. Progress is a Spectre.Console bar when <paramref name="output"/> is the console and a terminal, plain lines otherwise.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="output">Where help, errors, progress and the summary go.</param>
    /// <param name="cancellationToken">Cancels the run (Ctrl+C): files in flight finish or cancel, nothing half-written is left.</param>
    /// <returns>The exit code: 0 all succeeded, 2 some files failed, 1 usage error, 130 canceled.</returns>
    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        bool interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        return RunAsync(args, output, interactive, cancellationToken);
    }

    internal static Task<int> RunAsync(string[] args, TextWriter output, bool interactive, CancellationToken cancellationToken) =>
        RunAsync(args, output, interactive, ChildProgram.ThisTool, cancellationToken);

    /// <summary>Runs the command with <paramref name="children"/> as the program of <c>--isolation process</c>'s child processes.</summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter output, bool interactive, ChildProgram children, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(children);

        RootCommand root;
        if (args.Length > 0 && args[0] == ReportMerger.CommandName)
        {
            root = new RootCommand("Merges the JSON reports of --shard runs.") { ReportMerger.CreateCommand(output) }; // its own usage text
        }
        else
        {
            var commandLine = new BatchCommandLine();
            root = commandLine.CreateRootCommand();
            root.SetAction((parseResult, token) =>
                ExecuteAsync(commandLine.ToSettings(parseResult) with { Children = children }, output, interactive, token));
        }

        ParseResult parsed = root.Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = output,
            ProcessTerminationTimeout = null, // Program owns Ctrl+C and SIGTERM: it cancels cancellationToken
        };
        int code = await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        return parsed.Errors.Count > 0 ? BatchExitCodes.UsageError : code;
    }

    private static async Task<int> ExecuteAsync(BatchSettings settings, TextWriter output, bool interactive, CancellationToken cancellationToken)
    {
        if (await CheckFoldersAsync(settings, output).ConfigureAwait(false) is { } usageError)
        {
            return usageError;
        }

        var progress = new BatchProgress();
        var runner = new BatchRunner(settings, progress);
        progress.Total = runner.CountFiles();
        await output.WriteLineAsync(Announcement(settings, progress.Total)).ConfigureAwait(false);

        Task<BatchSummary> run = Task.Run(() => runner.RunAsync(cancellationToken), CancellationToken.None);
        if (interactive)
        {
            await ProgressDisplay.ShowBarAsync(run, progress, output).ConfigureAwait(false);
        }
        else
        {
            await ProgressDisplay.ShowLinesAsync(run, progress, output, settings.ProgressInterval).ConfigureAwait(false);
        }

        BatchSummary summary = await run.ConfigureAwait(false);
        ReportWriter.WriteText(summary, output);
        if (settings.JsonReportPath is { } reportPath && !await TryWriteJsonReportAsync(summary, settings, reportPath, output).ConfigureAwait(false))
        {
            return summary.Canceled ? BatchExitCodes.Canceled : BatchExitCodes.SomeFailed;
        }

        return summary.Canceled ? BatchExitCodes.Canceled
            : summary.Failed > 0 ? BatchExitCodes.SomeFailed
            : BatchExitCodes.Success;
    }

    /// <summary>The usage error when the output folder is the input folder or cannot be written; null when both are fine.</summary>
    private static async Task<int?> CheckFoldersAsync(BatchSettings settings, TextWriter output)
    {
        if (string.Equals(Path.TrimEndingDirectorySeparator(settings.InputDirectory), Path.TrimEndingDirectorySeparator(settings.OutputDirectory), StringComparison.Ordinal))
        {
            await output.WriteLineAsync("error: the output folder must not be the input folder.").ConfigureAwait(false);
            return BatchExitCodes.UsageError;
        }

        if (CheckWritable(settings.OutputDirectory) is { } problem)
        {
            await output.WriteLineAsync($"error: cannot write to the output folder '{settings.OutputDirectory}': {problem}").ConfigureAwait(false);
            return BatchExitCodes.UsageError;
        }

        return null;
    }

    /// <summary>The first line of a run: <c>201 files in /tmp/photos -> /tmp/thumbs (320x320 Webp q80 Cover, vips, 2 workers)</c>.</summary>
    private static string Announcement(BatchSettings settings, int files) => string.Create(
        CultureInfo.InvariantCulture,
        $"{files} files{(settings.Shard.Count > 1 ? $" (shard {settings.Shard})" : string.Empty)} in {settings.InputDirectory} -> {settings.OutputDirectory} ({settings.Options}, {EngineName(settings.Engine)}, {settings.Workers} {(settings.Isolation == BatchIsolation.Process ? "worker processes" : "workers")})");

    /// <summary>Writes the <c>--json</c> report; false, with the error written to <paramref name="output"/>, when it cannot be written.</summary>
    private static async Task<bool> TryWriteJsonReportAsync(BatchSummary summary, BatchSettings settings, string reportPath, TextWriter output)
    {
        try
        {
            await ReportWriter.WriteJsonAsync(summary, settings, reportPath).ConfigureAwait(false);
            await output.WriteLineAsync($"Report written to {reportPath}").ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync($"error: cannot write the report '{reportPath}': {ex.Message}").ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>The engine's name as <c>--engine</c> takes it.</summary>
    internal static string EngineName(ThumbnailEngine engine) => engine == ThumbnailEngine.Skia ? "skia" : "vips";

    /// <summary>Creates the output folder and proves it writable with a probe file; returns the problem, or null.</summary>
    private static string? CheckWritable(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            string probe = Path.Combine(directory, $".{CommandName}-probe-{Guid.NewGuid():N}{AtomicFile.TempSuffix}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return ex.Message;
        }
    }
}
