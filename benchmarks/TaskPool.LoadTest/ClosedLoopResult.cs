namespace TaskPool.LoadTest;

/// <summary>
/// What <see cref="ClosedLoopLoad"/> saw in its window: latencies of the successful requests, 503s apart from other failures (non-success
/// statuses, connection errors, timeouts), and the first failure's description. Requests that ended after the window are not counted.
/// </summary>
internal sealed record ClosedLoopResult(LatencyRecorder Latencies, long Rejected, long Failed, TimeSpan Window, string? FirstFailure)
{
    /// <summary>Successful requests per second over the window.</summary>
    public double Throughput => Latencies.Count / Window.TotalSeconds;
}
