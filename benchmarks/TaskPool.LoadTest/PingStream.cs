using System.Diagnostics;

namespace TaskPool.LoadTest;

/// <summary>
/// GET /ping on a fixed schedule (open loop): request <c>i</c> is due at <c>start + i / rate</c> and its latency is measured from that due
/// time, so a stalled server is charged for the whole stall (no coordinated omission). Bounded: exactly <c>rate * duration</c> requests.
/// </summary>
internal static class PingStream
{
    public static async Task<LatencyRecorder> RunAsync(HttpClient client, int rate, TimeSpan duration)
    {
        var latencies = new LatencyRecorder();
        int count = (int)(rate * duration.TotalSeconds);
        long interval = Stopwatch.Frequency / rate;
        long start = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>(count);
        for (int i = 0; i < count; i++)
        {
            long due = start + (i * interval);
            TimeSpan wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            inFlight.Add(PingAsync(client, due, latencies));
        }

        await Task.WhenAll(inFlight);
        return latencies;
    }

    private static async Task PingAsync(HttpClient client, long due, LatencyRecorder latencies)
    {
        try
        {
            using HttpResponseMessage response = await client.GetAsync("/ping", HttpCompletionOption.ResponseContentRead);
            if (response.IsSuccessStatusCode)
            {
                latencies.Record(due, Stopwatch.GetTimestamp());
            }
            else
            {
                latencies.RecordFailure();
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            latencies.RecordFailure();
        }
    }
}
