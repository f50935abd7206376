using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using TaskPool.Samples.Imaging;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>
/// The arguments and options of <c>taskpool-thumbs</c>, with their descriptions, defaults and validation (System.CommandLine):
/// <see cref="CreateRootCommand"/> declares them and <see cref="ToSettings"/> reads a parse result into <see cref="BatchSettings"/>.
/// </summary>
internal sealed class BatchCommandLine
{
    private readonly Argument<DirectoryInfo> _inputDir = new("input-dir") { Description = "The folder of images to read." };
    private readonly Argument<DirectoryInfo> _outputDir = new("output-dir") { Description = "The folder to write thumbnails to; created if missing." };
    private readonly Option<int> _width = DimensionOption("--width", "The thumbnail box width in pixels, 1..4096.");
    private readonly Option<int> _height = DimensionOption("--height", "The thumbnail box height in pixels, 1..4096.");
    private readonly Option<ThumbnailFormat> _format = ChoiceOption<ThumbnailFormat>(
        "--format", "The output format.", "jpeg|png|webp", ThumbnailFormat.Jpeg, ThumbnailOptions.TryParseFormat, "jpeg, png or webp");
    private readonly Option<int> _quality = QualityOption();
    private readonly Option<ThumbnailFit> _fit = ChoiceOption<ThumbnailFit>(
        "--fit", "cover: exactly the box, center-cropped; contain: the whole image inside the box.", "cover|contain", ThumbnailFit.Cover, ThumbnailOptions.TryParseFit, "cover or contain");
    private readonly Option<ThumbnailEngine> _engine = ChoiceOption<ThumbnailEngine>(
        "--engine",
        "vips: libvips in-process, one libvips thread per worker; skia: SkiaSharp with a managed Lanczos-3 resampler.",
        "vips|skia",
        ThumbnailGenerator.DefaultEngine,
        ThumbnailGenerator.TryParseEngine,
        "vips or skia");
    private readonly Option<int> _workers = WorkersOption();
    private readonly Option<BatchIsolation> _isolation = ChoiceOption<BatchIsolation>(
        "--isolation",
        "thread: the workers are threads of this process; process: they are child processes, so a crash in the decoder costs one file, never the run.",
        "thread|process",
        BatchIsolation.Thread,
        static (string text, out BatchIsolation parsed) => Enum.TryParse(text, ignoreCase: true, out parsed) && Enum.IsDefined(parsed) && !char.IsDigit(text.FirstOrDefault()),
        "thread or process");
    private readonly Option<bool> _recursive = new("--recursive", "-r") { Description = "Include subfolders; the output mirrors the input tree." };
    private readonly Option<bool> _overwrite = new("--overwrite") { Description = "Redo thumbnails whose output file already exists (default: skip them)." };
    private readonly Option<FileInfo?> _json = new("--json") { Description = "Also write the final report as JSON to this file.", HelpName = "report.json" };
    private readonly Option<BatchShard> _shard = ShardOption();
    private readonly Option<double> _progressInterval = ProgressIntervalOption();

    public BatchCommandLine() => _inputDir.AcceptExistingOnly();

    /// <summary>The tool's command, without an action.</summary>
    public RootCommand CreateRootCommand() =>
        new("Makes thumbnails of every image in a folder on a TaskPool worker pool, with bounded memory. "
            + "'taskpool-thumbs merge-reports a.json b.json ... -o merged.json' merges the --json reports of --shard runs.")
        {
            _inputDir, _outputDir, _width, _height, _format, _quality, _fit, _engine, _workers, _isolation, _recursive, _overwrite, _json, _shard, _progressInterval,
        };

    /// <summary>The settings a valid parse result asks for.</summary>
    public BatchSettings ToSettings(ParseResult parseResult) =>
        new(
            parseResult.GetRequiredValue(_inputDir).FullName,
            parseResult.GetRequiredValue(_outputDir).FullName,
            new ThumbnailOptions(parseResult.GetValue(_width), parseResult.GetValue(_height), parseResult.GetValue(_format), parseResult.GetValue(_quality), parseResult.GetValue(_fit)),
            parseResult.GetValue(_workers),
            parseResult.GetValue(_recursive),
            parseResult.GetValue(_overwrite),
            parseResult.GetValue(_json)?.FullName,
            TimeSpan.FromSeconds(parseResult.GetValue(_progressInterval)))
        {
            Isolation = parseResult.GetValue(_isolation),
            Engine = parseResult.GetValue(_engine),
            Shard = parseResult.GetValue(_shard),
        };

    private static Option<int> QualityOption()
    {
        var quality = new Option<int>("--quality")
        {
            Description = "The JPEG/WebP quality, 1..100.",
            DefaultValueFactory = _ => ThumbnailOptions.DefaultQuality,
        };
        AddRange(quality, ThumbnailOptions.MinQuality, ThumbnailOptions.MaxQuality);
        return quality;
    }

    private static Option<int> WorkersOption()
    {
        var workers = new Option<int>("--workers")
        {
            Description = "Workers in the pool: threads, or child processes with --isolation process (default: the number of cores).",
            HelpName = "N",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        AddRange(workers, 1, 256);
        return workers;
    }

    private static Option<BatchShard> ShardOption() =>
        new("--shard")
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

    private static Option<double> ProgressIntervalOption()
    {
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
        return progressInterval;
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
