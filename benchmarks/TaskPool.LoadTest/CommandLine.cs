using System.Globalization;

namespace TaskPool.LoadTest;

/// <summary>The value parsers every mode's command line shares.</summary>
internal static class CommandLine
{
    /// <summary>A decimal integer in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static int Number(string text, int min, int max)
    {
        int value = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return value >= min && value <= max ? value : throw new ArgumentOutOfRangeException(nameof(text), value, $"Must be {min}..{max}.");
    }

    /// <summary>A whole number of seconds in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static TimeSpan Seconds(string text, int min, int max) => TimeSpan.FromSeconds(Number(text, min, max));
}
