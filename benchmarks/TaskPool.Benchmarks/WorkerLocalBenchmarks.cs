using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace TaskPool.Benchmarks;

/// <summary>
/// What <see cref="WorkerLocal{T}"/> saves: an HMAC-SHA256 per message (the sample's <c>POST /sign</c>), with a new keyed
/// <see cref="IncrementalHash"/> per message, with the one-shot <see cref="HMACSHA256.HashData(byte[], byte[])"/>, or with one
/// <see cref="IncrementalHash"/> per thread reused for every message. "Inline" runs them on one thread without a pool: the raw cost of
/// creating and keying the HMAC. "Pool" runs each message as a job (a batch of <see cref="Jobs"/> fanned out and awaited) on a pool of
/// the default size (cores - 1), as the sample does: what is left of the gain once dispatch is paid. Ratios are within each category.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class WorkerLocalBenchmarks
{
    private const int Jobs = 64;

    private static readonly byte[] s_key = Convert.FromHexString("8f4c2a9e1b7d3f605a2e9c4b1d8f7a3e6c0b5d2f9e4a1c7b3d8e6f0a2c5b9d1e");

    private byte[] _message = null!;
    private IncrementalHash _reused = null!;
    private WorkerPool _pool = null!;
    private WorkerLocal<IncrementalHash> _local = null!;

    [Params(64, 64 * 1024)]
    public int MessageBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _message = RandomNumberGenerator.GetBytes(MessageBytes);
        _reused = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, s_key);
        _pool = new WorkerPool(new WorkerPoolOptions { Name = "bench-worker-local", QueueCapacity = 1024 });
        _local = new WorkerLocal<IncrementalHash>(static () => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, s_key));
        byte expected = HMACSHA256.HashData(s_key, _message)[0];
        if (ReusedHash(_reused, _message) != expected || NewHash(_message) != expected || OneShot(_message) != expected)
        {
            throw new InvalidOperationException("The three ways disagree.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _local.Dispose();
        _pool.Dispose();
        _reused.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Inline: new IncrementalHash per message")]
    [BenchmarkCategory("Inline")]
    public byte InlineNewPerMessage() => NewHash(_message);

    [Benchmark(Description = "Inline: HMACSHA256.HashData (one-shot)")]
    [BenchmarkCategory("Inline")]
    public byte InlineOneShot() => OneShot(_message);

    [Benchmark(Description = "Inline: one IncrementalHash reused")]
    [BenchmarkCategory("Inline")]
    public byte InlineReused() => ReusedHash(_reused, _message);

    [Benchmark(Baseline = true, OperationsPerInvoke = Jobs, Description = "Pool: new IncrementalHash per job")]
    [BenchmarkCategory("Pool")]
    public Task<int> PoolNewPerJob() => RunBatchAsync(static (s, ct) => NewHash(s.Message));

    [Benchmark(OperationsPerInvoke = Jobs, Description = "Pool: HMACSHA256.HashData per job")]
    [BenchmarkCategory("Pool")]
    public Task<int> PoolOneShot() => RunBatchAsync(static (s, ct) => OneShot(s.Message));

    [Benchmark(OperationsPerInvoke = Jobs, Description = "Pool: WorkerLocal<IncrementalHash>")]
    [BenchmarkCategory("Pool")]
    public Task<int> PoolWorkerLocal() => RunBatchAsync(static (s, ct) => ReusedHash(s.Local.Value, s.Message));

    /// <summary>Each way writes the MAC to the stack and returns its first byte, so that none allocates a result array.</summary>
    private static byte NewHash(byte[] message)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, s_key);
        return ReusedHash(hmac, message);
    }

    private static byte ReusedHash(IncrementalHash hmac, byte[] message)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        hmac.AppendData(message);
        hmac.GetHashAndReset(mac);
        return mac[0];
    }

    private static byte OneShot(byte[] message)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(s_key, message, mac);
        return mac[0];
    }

    private async Task<int> RunBatchAsync(Func<(byte[] Message, WorkerLocal<IncrementalHash> Local), CancellationToken, byte> work)
    {
        var results = new ValueTask<byte>[Jobs];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = _pool.RunAsync((_message, _local), work);
        }

        int sum = 0;
        foreach (ValueTask<byte> result in results)
        {
            sum += await result;
        }

        return sum;
    }
}
