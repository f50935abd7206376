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

    internal static async Task<int> RunAsync(string[] args, TextWriter output, bool interactive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);

        var inputDir = new Argument<DirectoryInfo>("input-dir") { Description = "The folder of images to read." };
        inputDir.AcceptExistingOnly();
        var outputDir = new Argument<DirectoryInfo>("output-dir") { Description = "The folder to write thumbnails to; created if missing." };
        Option<int> width = DimensionOption("--width", "The thumbnail box width in pixels, 1..4096.");
        Option<int> height = DimensionOption("--height", "The thumbnail box height in pixels, 1..4096.");
        Option<ThumbnailFormat> format = ChoiceOption<ThumbnailFormat>(
            "--format", "The output format.", "jpeg|png|webp", ThumbnailFormat.Jpeg, ThumbnailOptions.TryParseFormat, "jpeg, png or webp");
        var quality = new Option<int>("--quality")
        {
            Description = "The JPEG/WebP quality, 1..100.",
            DefaultValueFactory = _ => ThumbnailOptions.DefaultQuality,
        };
        AddRange(quality, ThumbnailOptions.MinQuality, ThumbnailOptions.MaxQuality);
        Option<ThumbnailFit> fit = ChoiceOption<ThumbnailFit>(
            "--fit", "cover: exactly the box, center-cropped; contain: the whole image inside the box.", "cover|contain", ThumbnailFit.Cover, ThumbnailOptions.TryParseFit, "cover or contain");
        var workers = new Option<int>("--workers")
        {
            Description = "Workers in the pool: threads, or child processes with --isolation process (default: the number of cores).",
            HelpName = "N",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        AddRange(workers, 1, 256);
        Option<BatchIsolation> isolation = ChoiceOption<BatchIsolation>(
            "--isolation",
            "thread: the workers are threads of this process; process: they are child processes, so a crash in the decoder costs one file, never the run.",
            "thread|process",
            BatchIsolation.Thread,
            static (string text, out BatchIsolation parsed) => Enum.TryParse(text, ignoreCase: true, out parsed) && Enum.IsDefined(parsed) && !char.IsDigit(text.FirstOrDefault()),
            "thread or process");
        Option<ThumbnailEngine> engine = ChoiceOption<ThumbnailEngine>(
            "--engine",
            "vips: libvips in-process, one libvips thread per worker; skia: SkiaSharp with a managed Lanczos-3 resampler.",
            "vips|skia",
            ThumbnailGenerator.DefaultEngine,
            ThumbnailGenerator.TryParseEngine,
            "vips or skia");
        var testCrashMarker = new Option<string?>("--test-crash-marker")
        {
            Description = "TEST-ONLY: with --isolation process, a child whose image starts with this text kills itself (SIGKILL).",
            Hidden = true,
        };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Include subfolders; the output mirrors the input tree." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Redo thumbnails whose output file already exists (default: skip them)." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the final report as JSON to this file.", HelpName = "report.json" };
        var shard = new Option<BatchShard>("--shard")
        {
            Description = "Process only shard i of N (0 <= i < N): a stable hash of each file's relative path, so N runs on N machines share the folder. auto/N takes i from JOB_COMPLETION_INDEX (Kubernetes Indexed Job).",
            HelpName = "i/N|auto/N",
            DefaultValueFactory = _ => BatchShard.All,
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (BatchShard.TryParse(text, Environment.GetEnvironmentVariable, out BatchShard parsed) is { } problem)
                {
                    result.AddError(problem);
                }

                return parsed;
            },
        };
        var progressInterval = new Option<double>("--progress-interval")
        {
            Description = "Seconds between plain progress lines when not on a terminal.",
            DefaultValueFactory = _ => 2.0,
            Hidden = true,
        };
        progressInterval.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0
                && double.TryParse(result.Tokens[^1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
                && seconds is not (> 0 and <= 3600))
            {
                result.AddError("--progress-interval must be more than 0 and at most 3600 seconds.");
            }
        });

        var root = new RootCommand("Makes thumbnails of every image in a folder on a TaskPool worker pool, with bounded memory. "
            + "'taskpool-thumbs merge-reports a.json b.json ... -o merged.json' merges the --json reports of --shard runs.")
        {
            inputDir, outputDir, width, height, format, quality, fit, engine, workers, isolation, recursive, overwrite, json, shard, progressInterval, testCrashMarker,
        };

        int exitCode = BatchExitCodes.UsageError;
        root.SetAction(async (parseResult, token) =>
        {
            var settings = new BatchSettings(
                parseResult.GetRequiredValue(inputDir).FullName,
                parseResult.GetRequiredValue(outputDir).FullName,
                new ThumbnailOptions(parseResult.GetValue(width), parseResult.GetValue(height), parseResult.GetValue(format), parseResult.GetValue(quality), parseResult.GetValue(fit)),
                parseResult.GetValue(workers),
                parseResult.GetValue(recursive),
                parseResult.GetValue(overwrite),
                parseResult.GetValue(json)?.FullName,
                TimeSpan.FromSeconds(parseResult.GetValue(progressInterval)))
            {
                Isolation = parseResult.GetValue(isolation),
                Engine = parseResult.GetValue(engine),
                TestCrashMarker = parseResult.GetValue(testCrashMarker),
                Shard = parseResult.GetValue(shard),
            };
            exitCode = await ExecuteAsync(settings, output, interactive, token).ConfigureAwait(false);
            return exitCode;
        });

        if (args.Length > 0 && args[0] == ReportMerger.CommandName)
        {
            root = new RootCommand("Merges the JSON reports of --shard runs.") { ReportMerger.CreateCommand(output) }; // its own usage text
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

        var progress = new BatchProgress();
        var runner = new BatchRunner(settings, progress);
        progress.Total = runner.CountFiles();
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"{progress.Total} files{(settings.Shard.Count > 1 ? $" (shard {settings.Shard})" : string.Empty)} in {settings.InputDirectory} -> {settings.OutputDirectory} ({settings.Options}, {EngineName(settings.Engine)}, {settings.Workers} {(settings.Isolation == BatchIsolation.Process ? "worker processes" : "workers")})")).ConfigureAwait(false);

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
        if (settings.JsonReportPath is { } reportPath)
        {
            try
            {
                await ReportWriter.WriteJsonAsync(summary, settings, reportPath).ConfigureAwait(false);
                await output.WriteLineAsync($"Report written to {reportPath}").ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await output.WriteLineAsync($"error: cannot write the report '{reportPath}': {ex.Message}").ConfigureAwait(false);
                return summary.Canceled ? BatchExitCodes.Canceled : BatchExitCodes.SomeFailed;
            }
        }

        return summary.Canceled ? BatchExitCodes.Canceled
            : summary.Failed > 0 ? BatchExitCodes.SomeFailed
            : BatchExitCodes.Success;
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

    /// <summary>An option that takes one of a few named values, parsed by <paramref name="tryParse"/>, with one error message for all.</summary>
    private static Option<T> ChoiceOption<T>(string name, string description, string helpName, T defaultValue, TryParseChoice<T> tryParse, string choices) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (tryParse(text, out T parsed))
                {
                    return parsed;
                }

                result.AddError($"{name} must be {choices}; got '{text}'.");
                return default!;
            },
        };

    private static Option<int> DimensionOption(string name, string description)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => 320 };
        AddRange(option, ThumbnailOptions.MinDimension, ThumbnailOptions.MaxDimension);
        return option;
    }

    private static void AddRange(Option<int> option, int min, int max) =>
        option.Validators.Add(result =>
        {
            // Only a value that parsed: the parser itself reports text that is not a number.
            if (result.Tokens.Count == 0
                || !int.TryParse(result.Tokens[^1].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            {
                return;
            }

            if (value < min || value > max)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be a whole number from {min} to {max}; got {value}."));
            }
        });
}
