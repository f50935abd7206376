using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace TaskPool.Samples.WebApi.Hashing;

/// <summary>
/// A PBKDF2-HMAC-SHA512 hash in its self-describing form, <c>$pbkdf2-sha512$i=220000$&lt;salt&gt;$&lt;hash&gt;</c>, salt and hash in standard
/// Base64 without padding (as in the PHC string format; padded input is accepted too).
/// </summary>
public sealed class PasswordHash
{
    /// <summary>The algorithm identifier.</summary>
    public const string AlgorithmId = "pbkdf2-sha512";

    /// <summary>The salt length this server generates, in bytes.</summary>
    public const int SaltSize = 16;

    /// <summary>The derived key length: SHA-512's output size, in bytes.</summary>
    public const int HashSize = 64;

    private const int MinSaltSize = 16;
    private const int MaxSaltSize = 64;
    private const int MaxEncodedLength = 256;

    /// <summary>Creates a hash from its parts.</summary>
    public PasswordHash(int iterations, byte[] salt, byte[] hash)
    {
        Iterations = iterations;
        Salt = salt;
        Hash = hash;
    }

    /// <summary>The PBKDF2 iteration count.</summary>
    public int Iterations { get; }

    /// <summary>The salt.</summary>
    public byte[] Salt { get; }

    /// <summary>The derived key.</summary>
    public byte[] Hash { get; }

    /// <summary>The self-describing string.</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"${AlgorithmId}$i={Iterations}${ToBase64(Salt)}${ToBase64(Hash)}");

    /// <summary>
    /// Parses <paramref name="encoded"/>; false, with a reason fit for a 400 response, when it is malformed, names another algorithm, or
    /// has an iteration count outside <paramref name="minIterations"/>..<paramref name="maxIterations"/>.
    /// </summary>
    public static bool TryParse(
        string? encoded,
        int minIterations,
        int maxIterations,
        [NotNullWhen(true)] out PasswordHash? result,
        [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (string.IsNullOrEmpty(encoded))
        {
            error = "The hash is missing.";
            return false;
        }

        if (encoded.Length > MaxEncodedLength)
        {
            error = "The hash is malformed: too long.";
            return false;
        }

        string[] parts = encoded.Split('$');
        if (parts.Length != 5 || parts[0].Length != 0)
        {
            error = "The hash is malformed: expected $pbkdf2-sha512$i=<iterations>$<salt>$<hash>.";
            return false;
        }

        if (!string.Equals(parts[1], AlgorithmId, StringComparison.Ordinal))
        {
            error = $"The hash algorithm '{parts[1]}' is not supported; only {AlgorithmId} is.";
            return false;
        }

        ReadOnlySpan<char> count = parts[2].AsSpan();
        if (!count.StartsWith("i=", StringComparison.Ordinal)
            || count.Length is < 3 or > 12
            || !IsAsciiDigits(count[2..])
            || !long.TryParse(count[2..], NumberStyles.None, CultureInfo.InvariantCulture, out long iterations))
        {
            error = "The hash is malformed: the iteration count must read i=<digits>.";
            return false;
        }

        if (iterations < minIterations || iterations > maxIterations)
        {
            error = $"The hash's iteration count {iterations} is outside the accepted range {minIterations}..{maxIterations}.";
            return false;
        }

        if (!TryFromBase64(parts[3], out byte[]? salt) || salt.Length is < MinSaltSize or > MaxSaltSize)
        {
            error = $"The hash is malformed: the salt must be {MinSaltSize} to {MaxSaltSize} bytes of Base64.";
            return false;
        }

        if (!TryFromBase64(parts[4], out byte[]? hash) || hash.Length != HashSize)
        {
            error = $"The hash is malformed: the derived key must be {HashSize} bytes of Base64.";
            return false;
        }

        result = new PasswordHash((int)iterations, salt, hash);
        error = null;
        return true;
    }

    private static bool IsAsciiDigits(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string ToBase64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryFromBase64(string text, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (text.Length == 0 || text.Length > MaxEncodedLength)
        {
            return false;
        }

        string padded = (text.Length % 4) switch
        {
            0 => text,
            2 => text + "==",
            3 => text + "=",
            _ => string.Empty, // a length of 1 modulo 4 is never valid Base64
        };
        Span<byte> buffer = stackalloc byte[MaxEncodedLength];
        if (padded.Length == 0 || !Convert.TryFromBase64String(padded, buffer, out int written))
        {
            return false;
        }

        bytes = buffer[..written].ToArray();
        return true;
    }
}
