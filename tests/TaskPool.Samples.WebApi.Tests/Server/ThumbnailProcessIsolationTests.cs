using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SkiaSharp;
using TaskPool.Samples.WebApi.Tests.Infrastructure;
using TaskPool.Samples.Imaging;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>
/// <c>Thumbnails:Isolation=Process</c> on the real server process (<c>dotnet TaskPool.Samples.WebApi.dll</c>): the thumbnail children are
/// the server's own program, started as its direct children, so WebApplicationFactory (whose program is the test host) cannot stand in.
/// </summary>
public sealed class ThumbnailProcessIsolationTests
{
    private static readonly Dictionary<string, string> s_processLane = new()
    {
        ["Thumbnails__Isolation"] = "Process",
        ["Thumbnails__ProcessCount"] = "2",
    };

    [Fact]
    public async Task Thumbnail_ProcessIsolation_MakesThumbnailsAndKeepsRejectionStatuses()
    {
        using var server = SampleProcess.Start(s_processLane);
        using var client = new HttpClient { BaseAddress = await server.ListeningAsync(), Timeout = TestTimeouts.Hang };

        using (HttpResponseMessage ok = await PostAsync(client, "/thumbnail?width=160&height=120&format=png", TestImages.Photo(ThumbnailFormat.Jpeg, 640, 480)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("image/png", ok.Content.Headers.ContentType?.MediaType);
            using SKBitmap thumbnail = ThumbnailEndpointTests.Decode(await ok.Content.ReadAsByteArrayAsync());
            Assert.Equal((160, 120), (thumbnail.Width, thumbnail.Height));
        }

        using (HttpResponseMessage notAnImage = await PostAsync(client, "/thumbnail?width=32&height=32", TestImages.Text()))
        {
            JsonElement problem = await HttpAssert.ProblemAsync(notAnImage, HttpStatusCode.BadRequest);
            Assert.Equal(nameof(ImageRejectionReason.NotAnImage), problem.GetProperty("reason").GetString());
        }

        using (HttpResponseMessage tiff = await PostAsync(client, "/thumbnail?width=32&height=32", TestImages.Tiff()))
        {
            JsonElement problem = await HttpAssert.ProblemAsync(tiff, HttpStatusCode.UnsupportedMediaType);
            Assert.Equal(nameof(ImageRejectionReason.UnsupportedFormat), problem.GetProperty("reason").GetString());
        }

        Assert.Equal(2, ChildrenOf(server.ProcessId).Count);

        JsonElement lane = JsonDocument.Parse(await client.GetStringAsync("/stats")).RootElement.GetProperty("images-process");
        Assert.Equal("process", lane.GetProperty("isolation").GetString());
        Assert.Equal(2, lane.GetProperty("workerCount").GetInt32());
        Assert.Equal(2, lane.GetProperty("busyWorkers").GetInt32() + lane.GetProperty("idleWorkers").GetInt32());
        Assert.True(lane.GetProperty("completed").GetInt64() >= 1, lane.ToString());
        Assert.Equal( // at rest: every accepted job has an outcome
            lane.GetProperty("submitted").GetInt64(),
            new[] { "completed", "faulted", "canceled", "timedOut", "crashed" }.Sum(p => lane.GetProperty(p).GetInt64()));
        Assert.Equal(0, lane.GetProperty("crashed").GetInt64());
    }

    [Fact]
    public async Task Thumbnail_ChildrenSigkilledWithRequestsInFlight_Answers503OrOkAndServesAgainOnNewChildren()
    {
        using var server = SampleProcess.Start(s_processLane);
        using var client = new HttpClient { BaseAddress = await server.ListeningAsync(), Timeout = TestTimeouts.Hang };
        await TestTimeouts.WaitUntilAsync(() => ChildrenOf(server.ProcessId).Count == 2, "the server's two thumbnail children to start");
        IReadOnlyList<int> before = ChildrenOf(server.ProcessId);
        long cpuBefore = before.Sum(CpuTicks);
        byte[] large = TestImages.Photo(ThumbnailFormat.Png, 3000, 2000);

        Task<HttpResponseMessage>[] requests = [.. Enumerable.Range(0, 4).Select(_ => PostAsync(client, "/thumbnail?width=200&height=200", large))];
        await TestTimeouts.WaitUntilAsync(() => before.Sum(CpuTicks) > cpuBefore || requests.All(static r => r.IsCompleted), "the children to start working");
        foreach (int pid in before)
        {
            Kill(pid);
        }

        HttpResponseMessage[] responses = await Task.WhenAll(requests).WaitOrFailAsync("every in-flight request to be answered");
        foreach (HttpResponseMessage response in responses)
        {
            using (response)
            {
                Assert.True(
                    response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable,
                    $"Got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{server.Output}");
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    JsonElement problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
                    Assert.Contains("signal 9", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
                    Assert.NotNull(response.Headers.RetryAfter);
                }
            }
        }

        await TestTimeouts.WaitUntilAsync(
            () => ChildrenOf(server.ProcessId) is { Count: 2 } now && !now.Intersect(before).Any(),
            "two new children to replace the killed ones");
        using HttpResponseMessage after = await PostAsync(client, "/thumbnail?width=64&height=64", TestImages.Photo(ThumbnailFormat.Jpeg, 320, 240));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        await SampleServerAssert.StillServesAsync(client);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string uri, byte[] image)
    {
        var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return client.PostAsync(uri, content);
    }

    /// <summary>The live (not zombie) direct children of <paramref name="pid"/>, from /proc/&lt;pid&gt;/task/*/children.</summary>
    private static List<int> ChildrenOf(int pid)
    {
        var children = new List<int>();
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                foreach (string child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    int childPid = int.Parse(child, CultureInfo.InvariantCulture);
                    if (State(childPid) is not ('Z' or 'X' or '?'))
                    {
                        children.Add(childPid);
                    }
                }
            }
            catch (IOException)
            {
                // the thread ended while we read
            }
        }

        return children;
    }

    /// <summary>Field 3 of /proc/&lt;pid&gt;/stat; '?' when the process is gone.</summary>
    private static char State(int pid) => StatFields(pid) is { } fields ? fields[0][0] : '?';

    /// <summary>utime + stime of the process (fields 14 and 15 of /proc/&lt;pid&gt;/stat); 0 when it is gone.</summary>
    private static long CpuTicks(int pid) =>
        StatFields(pid) is { } fields ? long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture) : 0;

    /// <summary>The fields of /proc/&lt;pid&gt;/stat after the command name (field 3 onward), or null when the process is gone.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void Kill(int pid)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
