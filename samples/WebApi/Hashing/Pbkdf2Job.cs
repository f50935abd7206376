using System.Security.Cryptography;

namespace TaskPool.Samples.WebApi.Hashing;

/// <summary>One PBKDF2-HMAC-SHA512 derivation: the state a pool job carries, by value, so that no closure is allocated per request.</summary>
internal readonly record struct Pbkdf2Job(string Password, byte[] Salt, int Iterations)
{
    public byte[] Derive()
        => Rfc2898DeriveBytes.Pbkdf2(Password, Salt, Iterations, HashAlgorithmName.SHA512, PasswordHash.HashSize);
}
