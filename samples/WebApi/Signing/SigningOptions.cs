namespace TaskPool.Samples.WebApi.Signing;

/// <summary>Settings of <see cref="HmacSigner"/> (<c>POST /sign</c>), bound from the <c>Signing</c> configuration section.</summary>
public sealed class SigningOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Signing";

    /// <summary>The shortest key accepted: HMAC-SHA256's output length (RFC 2104 advises against shorter keys).</summary>
    public const int MinKeyBytes = 32;

    /// <summary>
    /// The HMAC key, Base64; at least <see cref="MinKeyBytes"/> bytes once decoded. Empty (the default): a random key made when the server
    /// starts, whose signatures verify on no other instance and not after a restart. Keep a real key out of appsettings.json
    /// (environment variable <c>Signing__Key</c>, a secret store).
    /// </summary>
    public string? Key { get; set; }

    /// <summary>The key's bytes, or null when <see cref="Key"/> is empty or not Base64.</summary>
    internal byte[]? DecodeKey()
    {
        if (string.IsNullOrEmpty(Key))
        {
            return null;
        }

        byte[] buffer = new byte[Key.Length];
        return Convert.TryFromBase64String(Key, buffer, out int length) ? buffer[..length] : null;
    }
}
