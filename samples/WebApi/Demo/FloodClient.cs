using System.Diagnostics;
using System.Security.Cryptography;
using TaskPool.Samples.WebApi.Hashing;

namespace TaskPool.Samples.WebApi.Demo;

/// <summary>
/// One client of a <see cref="Flood"/>, in a closed loop: it sends a request, and when the answer comes it sends the next one at once.
/// Each request arrives the way Kestrel hands one to the application: as a work item on the ThreadPool's global queue, where it waits
/// behind everything queued before it, <c>/ping</c> requests included. What the request then does with its thread is the flood's mode,
/// the same three as <see cref="Pbkdf2PasswordHasher"/>'s:
/// <list type="bullet">
/// <item><see cref="HashingMode.Inline"/>: the derivation holds the request's ThreadPool thread, as in a naive handler.</item>
/// <item><see cref="HashingMode.ThreadPool"/>: <c>await Task.Run(...)</c>. From a ThreadPool thread that goes to the thread's local queue,
/// which the ThreadPool serves before the global queue where new requests wait.</item>
/// <item><see cref="HashingMode.Pool"/>: <c>await pool.RunAsync(...)</c>: the thread goes back to serving requests while a worker hashes.</item>
/// </list>
/// </summary>
[DebuggerDisplay("Flood client {_index}")]
internal sealed class FloodClient : IThreadPoolWorkItem
{
    /// <summary>How long a client waits after a 503 before it tries again (the sample's Retry-After says 1 s; a flood is short).</summary>
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(100);

    private readonly Flood _flood;
    private readonly int _index;
    private readonly Pbkdf2Job _job;

    public FloodClient(Flood flood, int index)
    {
        _flood = flood;
        _index = index;
        _job = new Pbkdf2Job($"flood client {index}", RandomNumberGenerator.GetBytes(PasswordHash.SaltSize), flood.Iterations);
    }

    /// <summary>Sends the next request: queues it on the ThreadPool's global queue.</summary>
    public void Send() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    void IThreadPoolWorkItem.Execute() => _ = HandleAsync();

    private async Task HandleAsync()
    {
        bool sendAnother;
        try
        {
            sendAnother = await HandleOneAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _flood.OnFaulted(exception);
            sendAnother = false;
        }

        if (sendAnother && !_flood.Stopping.IsCancellationRequested)
        {
            Send();
        }
        else
        {
            _flood.OnClientEnded();
        }
    }

    /// <summary>One request; false when the client should stop (the pool is shutting down).</summary>
    private async Task<bool> HandleOneAsync()
    {
        CancellationToken stopping = _flood.Stopping;
        if (stopping.IsCancellationRequested)
        {
            return false;
        }

        try
        {
            switch (_flood.Mode)
            {
                case HashingMode.Inline:
                    _job.Derive();
                    break;
                case HashingMode.ThreadPool:
                    await Task.Run(_job.Derive, stopping).ConfigureAwait(false);
                    break;
                default:
                    await _flood.Pool.RunAsync(_job, static (job, _) => job.Derive(), stopping).ConfigureAwait(false);
                    break;
            }

            _flood.OnHashed();
            return true;
        }
        catch (WorkerPoolSaturatedException)
        {
            _flood.OnRejected(); // the endpoint would answer 503 with Retry-After; a polite client waits before it tries again
            await Task.Delay(s_retryDelay, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return true;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false; // a queued pool job (or a Task.Run not yet started) canceled at the deadline
        }
        catch (ObjectDisposedException)
        {
            return false; // the pool is shutting down
        }
    }
}
