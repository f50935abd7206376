using System.Globalization;

namespace TaskPool.LoadTest;

/// <summary>One cluster shape: <c>N</c> instances (spec <c>"N"</c>), or <c>N</c> instances of <c>W</c> worker threads each (spec <c>"NxW"</c>).</summary>
internal sealed record ScaleConfiguration(int Instances, int? WorkersPerInstance)
{
    public static ScaleConfiguration Parse(string spec)
    {
        string[] parts = spec.Split('x', 2);
        int instances = Number(parts[0], 1, 99);
        int? workers = parts.Length == 2 ? Number(parts[1], 1, 256) : null;
        return new ScaleConfiguration(instances, workers);
    }

    /// <summary>The spec that <see cref="Parse"/> reads.</summary>
    public override string ToString() => WorkersPerInstance is int workers
        ? string.Create(CultureInfo.InvariantCulture, $"{Instances}x{workers}")
        : Instances.ToString(CultureInfo.InvariantCulture);

    private static int Number(string text, int min, int max)
    {
        int value = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return value >= min && value <= max ? value : throw new ArgumentOutOfRangeException(nameof(text), value, $"Must be {min}..{max}.");
    }
}
