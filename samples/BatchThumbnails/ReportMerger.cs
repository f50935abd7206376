using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>
/// <c>taskpool-thumbs merge-reports a.json b.json ... -o merged.json</c>: merges the JSON reports of shard runs into one. Counts and
/// workers are summed, the elapsed time is the longest run's (the shards run side by side), failures are concatenated and sorted by path,
/// <c>shards</c> lists the merged shards, and a file named by two reports is an error (the shards overlapped).
/// </summary>
internal static class ReportMerger
{
    /// <summary>The subcommand's name: the first argument.</summary>
    public const string CommandName = "merge-reports";

    private static readonly string[] s_summed = ["files", "succeeded", "failed", "skipped", "notProcessed", "workers", "queueCapacity"];

    public static Command CreateCommand(TextWriter output)
    {
        var reports = new Argument<FileInfo[]>("reports") { Description = "The JSON reports (--json) of the shard runs.", Arity = ArgumentArity.OneOrMore };
        reports.AcceptExistingOnly();
        var merged = new Option<FileInfo>("--output", "-o") { Description = "The merged report to write.", Required = true, HelpName = "merged.json" };
        var command = new Command(CommandName, "Merges the JSON reports of --shard runs into one report.") { reports, merged };
        command.SetAction(async (parseResult, token) =>
        {
            FileInfo[] inputs = parseResult.GetRequiredValue(reports);
            string target = parseResult.GetRequiredValue(merged).FullName;
            try
            {
                var nodes = new List<JsonObject>();
                foreach (FileInfo input in inputs)
                {
                    nodes.Add(JsonNode.Parse(await File.ReadAllBytesAsync(input.FullName, token).ConfigureAwait(false)) as JsonObject
                        ?? throw new JsonException($"'{input.FullName}' is not a JSON object."));
                }

                JsonObject result = Merge(nodes);
                byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(result, new JsonSerializerOptions { WriteIndented = true });
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await AtomicFile.WriteAsync(target, bytes, overwrite: true, token).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Merged {inputs.Length} reports into {target}")).ConfigureAwait(false);
                return BatchExitCodes.Success;
            }
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
            {
                await output.WriteLineAsync($"error: cannot merge the reports: {ex.Message}").ConfigureAwait(false);
                return BatchExitCodes.UsageError;
            }
        });
        return command;
    }

    /// <summary>Merges parsed reports (see the type's remarks).</summary>
    public static JsonObject Merge(IReadOnlyList<JsonObject> reports)
    {
        var result = new JsonObject
        {
            ["inputDirectory"] = reports[0]["inputDirectory"]?.DeepClone(),
            ["outputDirectory"] = reports[0]["outputDirectory"]?.DeepClone(),
            ["options"] = reports[0]["options"]?.DeepClone(),
            ["isolation"] = reports[0]["isolation"]?.DeepClone(),
            ["shards"] = new JsonArray([.. reports.Select(static r => (JsonNode?)JsonValue.Create(r["shard"]?.GetValue<string>() ?? "0/1"))]),
        };
        foreach (string key in s_summed)
        {
            result[key] = reports.Sum(r => r[key]?.GetValue<long>() ?? 0);
        }

        double elapsed = reports.Max(static r => r["elapsedSeconds"]?.GetValue<double>() ?? 0);
        result["canceled"] = reports.Any(static r => r["canceled"]?.GetValue<bool>() == true);
        result["elapsedSeconds"] = elapsed;
        result["imagesPerSecond"] = elapsed > 0 ? Math.Round(result["succeeded"]!.GetValue<long>() / elapsed, 2) : 0;
        result["peakQueueDepth"] = reports.Max(static r => r["peakQueueDepth"]?.GetValue<long>() ?? 0);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var failures = new List<JsonObject>();
        foreach (JsonObject report in reports)
        {
            foreach (JsonNode? failure in report["failures"]?.AsArray() ?? [])
            {
                string path = failure?["path"]?.GetValue<string>() ?? throw new FormatException("A failure has no path.");
                if (!seen.Add(path))
                {
                    throw new InvalidOperationException($"'{path}' failed in two reports: the shards overlap.");
                }

                failures.Add((JsonObject)failure.DeepClone());
            }
        }

        result["failures"] = new JsonArray([.. failures.OrderBy(static f => f["path"]!.GetValue<string>(), StringComparer.Ordinal)]);
        return result;
    }
}
