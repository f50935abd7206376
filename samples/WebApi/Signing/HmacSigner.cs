using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace TaskPool.Samples.WebApi.Signing;

/// <summary>
/// HMAC-SHA256 under the server's key (<see cref="SigningOptions.Key"/>) as jobs on the default <see cref="WorkerPool"/>. Each worker
/// thread keeps one <see cref="IncrementalHash"/> (<see cref="WorkerLocal{T}"/>), keyed once and reused by every later job of that
/// worker (<see cref="IncrementalHash.GetHashAndReset()"/> leaves it ready for the next message), instead of creating and keying one per
/// job; each worker disposes its own when the pool shuts down, or when this signer is disposed.
/// </summary>
public sealed partial class HmacSigner : IDisposable
{
    /// <summary>The algorithm's name in answers.</summary>
    public const string AlgorithmName = "HMAC-SHA256";

    private readonly WorkerPool _pool;
    private readonly WorkerLocal<IncrementalHash> _hmac;

    /// <summary>Creates the signer over the default pool, with the configured key or, when none is set, a random one.</summary>
    public HmacSigner(WorkerPool pool, IOptions<SigningOptions> options, ILogger<HmacSigner> logger)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _pool = pool;
        byte[]? key = options.Value.DecodeKey();
        if (key is null)
        {
            key = RandomNumberGenerator.GetBytes(SigningOptions.MinKeyBytes);
            LogRandomKey(logger);
        }

        _hmac = new WorkerLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));
    }

    /// <summary>The HMAC-SHA256 of <paramref name="message"/>, as lowercase hex, computed by a pool job.</summary>
    /// <param name="message">The bytes to sign; the job reads them, so the caller must not change them until the result is back.</param>
    /// <param name="fairnessKey">Who the job is for (<see cref="JobOptions.FairnessKey"/>); null: unkeyed.</param>
    /// <param name="cancellationToken">Cancels the job while it is queued.</param>
    /// <exception cref="WorkerPoolSaturatedException">The pool's queue is full, or <paramref name="fairnessKey"/> has its most jobs queued (Reject mode).</exception>
    /// <exception cref="ObjectDisposedException">The pool is shutting down, or this signer was disposed.</exception>
    public ValueTask<string> SignAsync(byte[] message, string? fairnessKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _pool.RunAsync((_hmac, message), static (state, _) => Sign(state.Item1.Value, state.Item2), new JobOptions { FairnessKey = fairnessKey }, cancellationToken);
    }

    /// <summary>Disposes every worker's <see cref="IncrementalHash"/>, each on its own worker thread.</summary>
    public void Dispose() => _hmac.Dispose();

    private static string Sign(IncrementalHash hmac, byte[] message)
    {
        hmac.AppendData(message);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        hmac.GetHashAndReset(mac);
        return Convert.ToHexStringLower(mac);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signing:Key is not set: POST /sign uses a random key made at start-up, so its signatures verify on no other instance and not after a restart.")]
    private static partial void LogRandomKey(ILogger logger);
}
