using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using TaskPool.Samples.WebApi.Tests.Infrastructure;
using TaskPool.Samples.Imaging;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>
/// GET /metrics on the real server process, with both lanes busy once: the names a Prometheus user types (and the KEDA and HPA
/// manifests query) are there, with the types Prometheus expects, and no name carries the meter's name twice.
/// </summary>
public sealed partial class PrometheusMetricsTests
{
    [Fact]
    public async Task Metrics_AfterAHashAndAProcessLaneThumbnail_ServesPrometheusNamesWithoutADoubledPrefix()
    {
        using var server = SampleProcess.Start(new Dictionary<string, string>
        {
            ["Thumbnails__Isolation"] = "Process",
            ["Thumbnails__ProcessCount"] = "1",
        });
        using var client = new HttpClient { BaseAddress = await server.ListeningAsync(), Timeout = TestTimeouts.Hang };
        await HashEndpointTests.HashAsync(client, "count me");
        using (var image = new ByteArrayContent(TestImages.Photo(ThumbnailFormat.Jpeg, 320, 240)))
        {
            image.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using HttpResponseMessage thumbnail = await client.PostAsync("/thumbnail?width=64&height=64", image);
            Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        }

        using HttpResponseMessage response = await client.GetAsync("/metrics");
        string text = await response.Content.ReadAsStringAsync();
        Sample[] samples = [.. Parse(text)];

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.DoesNotContain("taskpool_taskpool_", text, StringComparison.Ordinal);
        Assert.All(samples, static s => Assert.Matches("^[a-zA-Z_:][a-zA-Z0-9_:]*$", s.Name));

        Assert.Contains("# TYPE taskpool_queue_depth gauge", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE taskpool_workers_busy gauge", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE taskpool_jobs_completed_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE taskpool_job_run_duration_seconds histogram", text, StringComparison.Ordinal);
        foreach (string pool in new[] { "default", "images", "images-process" })
        {
            Assert.Contains(samples, s => s.Is("taskpool_queue_depth", pool));
            Assert.Contains(samples, s => s.Is("taskpool_workers_busy", pool));
        }

        // The hash on the thread lane, the thumbnail on the process lane: one completed job each, in a counter and a histogram.
        Sample hashed = Assert.Single(samples, s => s.Is("taskpool_jobs_completed_total", "default") && s.Labels["taskpool_job_outcome"] == "completed");
        Sample thumbnailed = Assert.Single(samples, s => s.Is("taskpool_jobs_completed_total", "images-process") && s.Labels["taskpool_job_outcome"] == "completed");
        Assert.Equal(1, hashed.Value);
        Assert.Equal(1, thumbnailed.Value);
        Assert.Equal("process", thumbnailed.Labels["taskpool_lane"]);
        Assert.Equal(1, Assert.Single(samples, s => s.Is("taskpool_job_run_duration_seconds_count", "default")).Value);
        Assert.Equal(1, Assert.Single(samples, s => s.Is("taskpool_job_run_duration_seconds_count", "images-process")).Value);
        Assert.Contains(samples, s => s.Is("taskpool_job_run_duration_seconds_bucket", "default") && s.Labels["le"] == "+Inf" && s.Value == 1);
        Assert.Contains(samples, s => s.Is("taskpool_job_run_duration_seconds_bucket", "images-process") && s.Labels["le"] == "+Inf" && s.Value == 1);
    }

    private static IEnumerable<Sample> Parse(string exposition)
    {
        foreach (string line in exposition.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            Match match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            Dictionary<string, string> labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(static m => m.Groups["name"].Value, static m => m.Groups["value"].Value, StringComparer.Ordinal);
            yield return new Sample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"^(?<name>[^{\s]+)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();

    private sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
    {
        public bool Is(string name, string pool) => Name == name && Labels.TryGetValue("taskpool_pool_name", out string? p) && p == pool;
    }
}
