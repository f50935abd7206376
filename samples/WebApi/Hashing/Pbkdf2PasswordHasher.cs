using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace TaskPool.Samples.WebApi.Hashing;

/// <summary>
/// PBKDF2-HMAC-SHA512 password hashing on the default <see cref="WorkerPool"/> (or inline, for comparison: <see cref="HashingOptions.Mode"/>).
/// Each derivation runs as one pool job with a static lambda and a struct state, so a request allocates no closure.
/// </summary>
public sealed class Pbkdf2PasswordHasher
{
    private readonly WorkerPool _pool;
    private readonly HashingOptions _options;

    /// <summary>Creates the hasher over the default pool.</summary>
    public Pbkdf2PasswordHasher(WorkerPool pool, IOptions<HashingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(options);
        _pool = pool;
        _options = options.Value;
    }

    /// <summary>The settings in force.</summary>
    public HashingOptions Options => _options;

    /// <summary>Hashes <paramref name="password"/> with a new random salt and the current iteration count.</summary>
    /// <exception cref="WorkerPoolSaturatedException">The pool's queue is full (Reject mode).</exception>
    /// <exception cref="ObjectDisposedException">The pool is shutting down.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before the job started, or a forced shutdown canceled it.</exception>
    public async ValueTask<string> HashAsync(string password, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        byte[] salt = RandomNumberGenerator.GetBytes(PasswordHash.SaltSize);
        byte[] hash = await DeriveAsync(new Pbkdf2Job(password, salt, _options.Iterations), cancellationToken).ConfigureAwait(false);
        return new PasswordHash(_options.Iterations, salt, hash).ToString();
    }

    /// <summary>
    /// Checks <paramref name="password"/> against <paramref name="stored"/> in constant time; when it matches a hash with fewer iterations than
    /// the current count, also returns a new hash with the current count.
    /// </summary>
    /// <exception cref="WorkerPoolSaturatedException">The pool's queue is full (Reject mode).</exception>
    /// <exception cref="ObjectDisposedException">The pool is shutting down.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before the job started, or a forced shutdown canceled it.</exception>
    public async ValueTask<PasswordVerification> VerifyAsync(string password, PasswordHash stored, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentNullException.ThrowIfNull(stored);
        byte[] actual = await DeriveAsync(new Pbkdf2Job(password, stored.Salt, stored.Iterations), cancellationToken).ConfigureAwait(false);
        bool valid = CryptographicOperations.FixedTimeEquals(actual, stored.Hash);
        string? rehash = valid && stored.Iterations < _options.Iterations
            ? await HashAsync(password, cancellationToken).ConfigureAwait(false)
            : null;
        return new PasswordVerification(valid, rehash);
    }

    private ValueTask<byte[]> DeriveAsync(Pbkdf2Job job, CancellationToken cancellationToken)
    {
        switch (_options.Mode)
        {
            case HashingMode.Inline:
                cancellationToken.ThrowIfCancellationRequested();
                return ValueTask.FromResult(job.Derive());
            case HashingMode.ThreadPool:
                return new ValueTask<byte[]>(Task.Run(job.Derive, cancellationToken));
            default:
                return _pool.RunAsync(job, static (j, _) => j.Derive(), cancellationToken);
        }
    }
}
