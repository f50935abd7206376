using System.Diagnostics.Metrics;

namespace TaskPool.Samples.BatchThumbnails.Tests;

/// <summary>
/// Follows the pooled arrays behind <see cref="OwnedBuffer{T}"/> from the moment it is created, as a user would: a
/// <see cref="MeterListener"/> on the <c>taskpool.buffer.rentals</c> and <c>taskpool.buffer.returns</c> counters of the TaskPool
/// meter, whose measurements arrive synchronously on the renting or returning thread. Process-wide: use it only in tests that run alone.
/// </summary>
internal sealed class OwnedBufferGauge : IDisposable
{
    private const string Rentals = "taskpool.buffer.rentals";
    private const string Returns = "taskpool.buffer.returns";

    private readonly MeterListener _listener = new();
    private long _rented;
    private long _returned;
    private long _out;
    private long _peakOut;

    public OwnedBufferGauge()
    {
        _listener.InstrumentPublished = static (instrument, listener) =>
        {
            if (instrument.Meter.Name == WorkerPool.MeterName && instrument.Name is Rentals or Returns)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == Rentals)
            {
                Interlocked.Add(ref _rented, value);
                RaisePeak(Interlocked.Add(ref _out, value));
            }
            else
            {
                Interlocked.Add(ref _returned, value);
                Interlocked.Add(ref _out, -value);
            }
        });
        _listener.Start();
    }

    /// <summary>Arrays rented since this gauge was created.</summary>
    public long Rented => Interlocked.Read(ref _rented);

    /// <summary>Rented arrays given back since this gauge was created.</summary>
    public long Returned => Interlocked.Read(ref _returned);

    /// <summary>The most arrays out at once since this gauge was created.</summary>
    public long PeakOut => Interlocked.Read(ref _peakOut);

    public void Dispose() => _listener.Dispose();

    private void RaisePeak(long value)
    {
        long peak = Interlocked.Read(ref _peakOut);
        while (value > peak)
        {
            long seen = Interlocked.CompareExchange(ref _peakOut, value, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }
}
