namespace TaskPool.Samples.WebApi.Hashing;

/// <summary>The outcome of <see cref="Pbkdf2PasswordHasher.VerifyAsync"/>.</summary>
/// <param name="Valid">Whether the password matches the hash.</param>
/// <param name="Rehash">
/// When the password matched a hash with fewer iterations than the current setting: a new hash of it with the current count, for the caller
/// to store in place of the old one; null otherwise.
/// </param>
public sealed record PasswordVerification(bool Valid, string? Rehash);
