using System.Globalization;

namespace TaskPool.LoadTest;

/// <summary>One cluster shape: <c>N</c> instances (spec <c>"N"</c>), or <c>N</c> instances of <c>W</c> worker threads each (spec <c>"NxW"</c>).</summary>
internal sealed record ScaleConfiguration(int Instances, int? WorkersPerInstance)
{
    public static ScaleConfiguration Parse(string spec)
    {
        string[] parts = spec.Split('x', 2);
        int instances = CommandLine.Number(parts[0], 1, 99);
        int? workers = parts.Length == 2 ? CommandLine.Number(parts[1], 1, 256) : null;
        return new ScaleConfiguration(instances, workers);
    }

    /// <summary>The spec that <see cref="Parse"/> reads.</summary>
    public override string ToString() => WorkersPerInstance is int workers
        ? string.Create(CultureInfo.InvariantCulture, $"{Instances}x{workers}")
        : Instances.ToString(CultureInfo.InvariantCulture);
}
