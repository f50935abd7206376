using System.Diagnostics;
using System.Net.Http.Json;

namespace TaskPool.LoadTest;

/// <summary>
/// <c>concurrency</c> closed-loop clients posting /hash back to back until the deadline: a load that keeps every core hashing. Each
/// client names itself (<c>X-Client-Id: load-{id}</c>), as distinct clients would be: the server's per-client queue limit
/// (<c>WorkerPool:MaxQueuedPerKey</c>) then applies to each, not to the whole load as one client.
/// </summary>
internal static class HashLoad
{
    public static async Task<(long Completed, long Failed, TimeSpan Elapsed)> RunAsync(HttpClient client, int concurrency, TimeSpan duration)
    {
        long completed = 0;
        long failed = 0;
        var stopwatch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(duration);

        async Task ClientLoopAsync(int id)
        {
            var body = new { password = $"load-test password {id}" };
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/hash") { Content = JsonContent.Create(body) };
                    request.Headers.Add("X-Client-Id", $"load-{id}");
                    using HttpResponseMessage response = await client.SendAsync(request, CancellationToken.None);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref completed);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(ClientLoopAsync));
        return (completed, failed, stopwatch.Elapsed);
    }
}
