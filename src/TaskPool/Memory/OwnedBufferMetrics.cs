using System.Diagnostics.Metrics;

namespace TaskPool;

/// <summary>
/// Two process-wide counters on the <see cref="WorkerPool.MeterName"/> meter for the pooled memory behind
/// <see cref="OwnedBuffer{T}"/>: <c>taskpool.buffer.rentals</c> and <c>taskpool.buffer.returns</c>. Rentals minus returns is the
/// number of pooled arrays still out, so a leak (a rented buffer never disposed) shows as a gap that keeps growing.
/// Only real pool rentals count: <see cref="OwnedBuffer{T}.Wrap"/> and empty buffers do not.
/// </summary>
/// <remarks>
/// The meter is static (renting is static), so it does not come from a pool's <see cref="WorkerPoolOptions.MeterFactory"/>;
/// listeners that select meters by name (<c>dotnet-counters</c>, OpenTelemetry's <c>AddMeter("TaskPool")</c>) see it with the
/// pools' instruments. Recording costs a check of a field when nothing listens.
/// </remarks>
internal static class OwnedBufferMetrics
{
    internal const string RentalsInstrumentName = "taskpool.buffer.rentals";
    internal const string ReturnsInstrumentName = "taskpool.buffer.returns";

    private static readonly Meter s_meter = new(new MeterOptions(WorkerPool.MeterName) { Version = typeof(OwnedBufferMetrics).Assembly.GetName().Version?.ToString() });

    private static readonly Counter<long> s_rentals = s_meter.CreateCounter<long>(
        RentalsInstrumentName, "{buffer}", "Arrays that OwnedBuffer.Rent took from the shared array pool.");

    private static readonly Counter<long> s_returns = s_meter.CreateCounter<long>(
        ReturnsInstrumentName, "{buffer}", "Rented arrays that OwnedBuffer.Dispose gave back to the shared array pool.");

    internal static void OnRented()
    {
        if (s_rentals.Enabled)
        {
            s_rentals.Add(1);
        }
    }

    internal static void OnReturned()
    {
        if (s_returns.Enabled)
        {
            s_returns.Add(1);
        }
    }
}
