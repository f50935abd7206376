using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

namespace TaskPool.Samples.WebApi.Tests.Infrastructure;

/// <summary>
/// A bounded open-loop load: <c>GET /ping</c> and <c>POST /hash</c>, each sent on a fixed schedule whatever the server does (a slow
/// answer does not slow the sender), every request's outcome kept with the time it was sent. A failure is any exception or any
/// status other than 2xx.
/// </summary>
internal sealed class SteadyLoad
{
    private readonly HttpClient _client;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Task<Outcome>> _requests = new();
    private readonly Task[] _schedules;

    private SteadyLoad(HttpClient client, int pingsPerSecond, int hashesPerSecond)
    {
        _client = client;
        _schedules = [ScheduleAsync(pingsPerSecond, PingAsync), ScheduleAsync(hashesPerSecond, HashAsync)];
    }

    /// <summary>Time since the load started, on the clock that stamps every request.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public static SteadyLoad Start(HttpClient client, int pingsPerSecond, int hashesPerSecond) => new(client, pingsPerSecond, hashesPerSecond);

    /// <summary>Stops sending, waits for every request in flight to finish, and returns every outcome.</summary>
    public async Task<Outcome[]> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_schedules);
        Outcome[] outcomes = await Task.WhenAll(_requests);
        _stop.Dispose();
        return outcomes;
    }

    private async Task ScheduleAsync(int perSecond, Func<int, TimeSpan, Task<Outcome>> send)
    {
        TimeSpan interval = TimeSpan.FromSeconds(1.0 / perSecond);
        for (int n = 0; !_stop.IsCancellationRequested; n++)
        {
            TimeSpan due = interval * n;
            TimeSpan wait = due - _clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            _requests.Enqueue(send(n, _clock.Elapsed));
        }
    }

    private Task<Outcome> PingAsync(int n, TimeSpan sentAt) => OutcomeAsync("GET /ping", sentAt, _client.GetAsync("/ping"));

    private Task<Outcome> HashAsync(int n, TimeSpan sentAt)
        => OutcomeAsync("POST /hash", sentAt, _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/hash")
        {
            Content = JsonContent.Create(new { password = string.Create(CultureInfo.InvariantCulture, $"rolling restart {n}") }),

            // Many clients, as in production: behind the proxy every request has the proxy's address, and one client's share
            // (WorkerPool:MaxQueuedPerKey) must not turn this load away when a busy machine slows the hashes down.
            Headers = { { "X-Client-Id", string.Create(CultureInfo.InvariantCulture, $"steady-{n % 16}") } },
        }));

    private static async Task<Outcome> OutcomeAsync(string request, TimeSpan sentAt, Task<HttpResponseMessage> sending)
    {
        try
        {
            using HttpResponseMessage response = await sending;
            return new Outcome(request, sentAt, response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return new Outcome(request, sentAt, false, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    /// <summary>One request: what it was, when it was sent, whether it succeeded, and the status or error it got.</summary>
    public sealed record Outcome(string Request, TimeSpan SentAt, bool Succeeded, string Result)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Request} sent at {SentAt.TotalSeconds:F2} s: {Result}");
    }
}
