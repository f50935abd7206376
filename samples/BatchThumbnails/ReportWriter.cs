using System.Globalization;
using System.Text.Json;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>Writes the final summary as text and, with <c>--json</c>, as a JSON report.</summary>
internal static class ReportWriter
{
    public static void WriteText(BatchSummary summary, TextWriter output)
    {
        IFormatProvider c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine(summary.Canceled ? "Canceled." : "Done.");
        output.WriteLine(string.Create(c, $"  files:       {summary.Files}"));
        output.WriteLine(string.Create(c, $"  succeeded:   {summary.Succeeded}"));
        output.WriteLine(string.Create(c, $"  failed:      {summary.Failed}"));
        output.WriteLine(string.Create(c, $"  skipped:     {summary.Skipped} (output exists; --overwrite to redo)"));
        if (summary.NotProcessed > 0)
        {
            output.WriteLine(string.Create(c, $"  not processed: {summary.NotProcessed} (canceled)"));
        }

        output.WriteLine(string.Create(c, $"  time:        {summary.Elapsed.TotalSeconds:F2} s"));
        output.WriteLine(string.Create(c, $"  rate:        {summary.ImagesPerSecond:F1} images/s"));
        output.WriteLine(string.Create(c, $"  pool:        {summary.Workers} workers, queue capacity {summary.QueueCapacity}, peak queue depth {summary.PeakQueueDepth}, busy {summary.BusyPercent:F0}%"));
        if (summary.PeakRssBytes is { } rss)
        {
            output.WriteLine(string.Create(c, $"  peak RSS:    {rss / (1024.0 * 1024.0):F1} MiB (VmHWM)"));
        }

        if (summary.Failures.Count > 0)
        {
            output.WriteLine();
            output.WriteLine(string.Create(c, $"Failed files ({summary.Failures.Count}):"));
            foreach (BatchFailure failure in summary.Failures.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                output.WriteLine(string.Create(c, $"  {failure.Path}: {failure.Reason}: {failure.Message}"));
            }
        }
    }

    public static async Task WriteJsonAsync(BatchSummary summary, BatchSettings settings, string path)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("inputDirectory", settings.InputDirectory);
            json.WriteString("outputDirectory", settings.OutputDirectory);
            json.WriteString("options", settings.Options.ToString());
            json.WriteString("engine", BatchCommand.EngineName(settings.Engine));
            json.WriteString("shard", settings.Shard.ToString());
            json.WriteString("isolation", settings.Isolation == BatchIsolation.Process ? "process" : "thread");
            json.WriteNumber("files", summary.Files);
            json.WriteNumber("succeeded", summary.Succeeded);
            json.WriteNumber("failed", summary.Failed);
            json.WriteNumber("skipped", summary.Skipped);
            json.WriteNumber("notProcessed", summary.NotProcessed);
            json.WriteBoolean("canceled", summary.Canceled);
            json.WriteNumber("elapsedSeconds", Math.Round(summary.Elapsed.TotalSeconds, 3));
            json.WriteNumber("imagesPerSecond", Math.Round(summary.ImagesPerSecond, 2));
            json.WriteNumber("workers", summary.Workers);
            json.WriteNumber("queueCapacity", summary.QueueCapacity);
            json.WriteNumber("peakQueueDepth", summary.PeakQueueDepth);
            json.WriteNumber("busyPercent", Math.Round(summary.BusyPercent, 1));
            if (summary.PeakRssBytes is { } rss)
            {
                json.WriteNumber("peakRssBytes", rss);
            }
            else
            {
                json.WriteNull("peakRssBytes");
            }

            json.WriteStartArray("failures");
            foreach (BatchFailure failure in summary.Failures.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("path", failure.Path);
                json.WriteString("reason", failure.Reason);
                json.WriteString("message", failure.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await AtomicFile.WriteAsync(Path.GetFullPath(path), stream.ToArray(), overwrite: true, CancellationToken.None).ConfigureAwait(false);
    }
}
