namespace TaskPool.Samples.WebApi.Hashing;

/// <summary>Settings of <see cref="Pbkdf2PasswordHasher"/>, bound from the <c>Hashing</c> configuration section.</summary>
public sealed class HashingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Hashing";

    /// <summary>OWASP's current PBKDF2-HMAC-SHA512 iteration count (it was 210,000 until 2026).</summary>
    public const int OwaspIterations = 220_000;

    /// <summary>The highest iteration count any setting may allow: a bound on the CPU one /verify request can demand.</summary>
    public const int HardMaxIterations = 10_000_000;

    /// <summary>Where the derivation runs. Default <see cref="HashingMode.Pool"/>.</summary>
    public HashingMode Mode { get; set; } = HashingMode.Pool;

    /// <summary>The iteration count of new hashes; a verified hash with fewer is rehashed with this many. Default <see cref="OwaspIterations"/>.</summary>
    public int Iterations { get; set; } = OwaspIterations;

    /// <summary>The lowest iteration count /verify accepts in a stored hash. Default 100,000 (older hashes, such as 210,000, still verify).</summary>
    public int MinIterations { get; set; } = 100_000;

    /// <summary>The highest iteration count /verify accepts in a stored hash, so that no caller can make the server run 10^9 iterations. Default 1,000,000.</summary>
    public int MaxIterations { get; set; } = 1_000_000;
}
