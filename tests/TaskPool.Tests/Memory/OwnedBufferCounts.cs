using System.Diagnostics.Metrics;

namespace TaskPool.Tests.Memory;

/// <summary>
/// Counts <see cref="OwnedBuffer{T}"/> rentals and returns from the moment it is created, the way a user would: with a
/// <see cref="MeterListener"/> on the <c>taskpool.buffer.rentals</c> and <c>taskpool.buffer.returns</c> counters of the
/// <see cref="WorkerPool.MeterName"/> meter. Measurements arrive synchronously on the renting or returning thread.
/// </summary>
internal sealed class OwnedBufferCounts : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _rented;
    private long _returned;

    public OwnedBufferCounts()
    {
        _listener.InstrumentPublished = static (instrument, listener) =>
        {
            if (instrument.Meter.Name == WorkerPool.MeterName
                && instrument.Name is OwnedBufferMetrics.RentalsInstrumentName or OwnedBufferMetrics.ReturnsInstrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == OwnedBufferMetrics.RentalsInstrumentName)
            {
                Interlocked.Add(ref _rented, value);
            }
            else
            {
                Interlocked.Add(ref _returned, value);
            }
        });
        _listener.Start();
    }

    /// <summary>Arrays rented from the shared pool since this instance was created.</summary>
    public long Rented => Interlocked.Read(ref _rented);

    /// <summary>Rented arrays given back to the shared pool since this instance was created.</summary>
    public long Returned => Interlocked.Read(ref _returned);

    public void Dispose() => _listener.Dispose();
}
