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
    /// <param name="password">The password.</param>
    /// <param name="fairnessKey">Who the job is for (<see cref="JobOptions.FairnessKey"/>); null: unkeyed. Only the pool mode uses it.</param>
    /// <param name="cancellationToken">Cancels the job while it is queued.</param>
    /// <exception cref="WorkerPoolSaturatedException">The pool's queue is full, or <paramref name="fairnessKey"/> has its most jobs queued (Reject mode).</exception>
    /// <exception cref="ObjectDisposedException">The pool is shutting down.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before the job started, or a forced shutdown canceled it.</exception>
    public async ValueTask<string> HashAsync(string password, string? fairnessKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        byte[] salt = RandomNumberGenerator.GetBytes(PasswordHash.SaltSize);
        byte[] hash = await DeriveAsync(new Pbkdf2Job(password, salt, _options.Iterations), fairnessKey, cancellationToken).ConfigureAwait(false);
        return new PasswordHash(_options.Iterations, salt, hash).ToString();
    }

    /// <summary>
    /// Checks <paramref name="password"/> against <paramref name="stored"/> in constant time; when it matches a hash with fewer iterations than
    /// the current count, also returns a new hash with the current count.
    /// </summary>
    /// <param name="password">The password to check.</param>
    /// <param name="stored">The stored hash.</param>
    /// <param name="fairnessKey">Who the jobs are for (<see cref="JobOptions.FairnessKey"/>); null: unkeyed. Only the pool mode uses it.</param>
    /// <param name="cancellationToken">Cancels a job while it is queued.</param>
    /// <exception cref="WorkerPoolSaturatedException">The pool's queue is full, or <paramref name="fairnessKey"/> has its most jobs queued (Reject mode).</exception>
    /// <exception cref="ObjectDisposedException">The pool is shutting down.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before the job started, or a forced shutdown canceled it.</exception>
    public async ValueTask<PasswordVerification> VerifyAsync(string password, PasswordHash stored, string? fairnessKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentNullException.ThrowIfNull(stored);
        byte[] actual = await DeriveAsync(new Pbkdf2Job(password, stored.Salt, stored.Iterations), fairnessKey, cancellationToken).ConfigureAwait(false);
        bool valid = CryptographicOperations.FixedTimeEquals(actual, stored.Hash);
        string? rehash = valid && stored.Iterations < _options.Iterations
            ? await HashAsync(password, fairnessKey, cancellationToken).ConfigureAwait(false)
            : null;
        return new PasswordVerification(valid, rehash);
    }

    private ValueTask<byte[]> DeriveAsync(Pbkdf2Job job, string? fairnessKey, CancellationToken cancellationToken)
    {
        switch (_options.Mode)
        {
            case HashingMode.Inline:
                cancellationToken.ThrowIfCancellationRequested();
                return ValueTask.FromResult(job.Derive());
            case HashingMode.ThreadPool:
                return new ValueTask<byte[]>(Task.Run(job.Derive, cancellationToken));
            default:
                return _pool.RunAsync(job, static (j, _) => j.Derive(), new JobOptions { FairnessKey = fairnessKey }, cancellationToken);
        }
    }
}
