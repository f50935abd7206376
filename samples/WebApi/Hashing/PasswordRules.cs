using System.Text;

namespace TaskPool.Samples.WebApi.Hashing;

/// <summary>What a password must be to reach PBKDF2.</summary>
public static class PasswordRules
{
    /// <summary>The longest password accepted, in UTF-8 bytes.</summary>
    public const int MaxBytes = 1024;

    /// <summary>Returns why <paramref name="password"/> is refused, or null when it is acceptable.</summary>
    public static string? Check(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "The password is missing or empty.";
        }

        // Counting needs no buffer; a password can hold at most 3 bytes per UTF-16 char, so short ones skip the count.
        if (password.Length * 3 > MaxBytes && Encoding.UTF8.GetByteCount(password) > MaxBytes)
        {
            return $"The password is longer than {MaxBytes} bytes in UTF-8.";
        }

        return null;
    }
}
