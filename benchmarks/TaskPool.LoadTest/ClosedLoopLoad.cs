using System.Diagnostics;
using System.Net;

namespace TaskPool.LoadTest;

/// <summary>
/// <c>concurrency</c> closed-loop clients, each sending its next request as soon as the previous one is answered (body read), for a fixed
/// window: the throughput the target sustains at that concurrency. A 503 is counted, not retried after its Retry-After.
/// </summary>
internal static class ClosedLoopLoad
{
    public static async Task<ClosedLoopResult> RunAsync(
        HttpClient client, int concurrency, TimeSpan duration, Func<int, HttpRequestMessage> createRequest, CancellationToken cancellationToken)
    {
        var latencies = new LatencyRecorder();
        long rejected = 0;
        long failed = 0;
        string? firstFailure = null;
        long start = Stopwatch.GetTimestamp();
        long deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        void Fail(string description)
        {
            Interlocked.Increment(ref failed);
            Interlocked.CompareExchange(ref firstFailure, description, null);
        }

        async Task ClientLoopAsync(int id)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                long sent = Stopwatch.GetTimestamp();
                if (sent >= deadline)
                {
                    return;
                }

                try
                {
                    using HttpRequestMessage request = createRequest(id);
                    using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                    long answered = Stopwatch.GetTimestamp();
                    if (answered > deadline)
                    {
                        return; // outside the window
                    }

                    if (response.IsSuccessStatusCode)
                    {
                        latencies.Record(sent, answered);
                    }
                    else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        Interlocked.Increment(ref rejected);
                    }
                    else
                    {
                        Fail($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    if (Stopwatch.GetTimestamp() <= deadline)
                    {
                        Fail($"{exception.GetType().Name}: {exception.Message}");
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(ClientLoopAsync));
        TimeSpan window = Stopwatch.GetElapsedTime(start, Math.Min(deadline, Stopwatch.GetTimestamp()));
        return new ClosedLoopResult(latencies, rejected, failed, window, firstFailure);
    }
}
