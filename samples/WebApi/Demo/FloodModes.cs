using System.Diagnostics.CodeAnalysis;
using TaskPool.Samples.WebApi.Hashing;

namespace TaskPool.Samples.WebApi.Demo;

/// <summary>The names a flood's mode has on the wire: <c>pool</c>, <c>inline</c>, <c>threadpool</c>.</summary>
internal static class FloodModes
{
    public const string Expected = "pool, inline or threadpool";

    public static string Name(HashingMode mode) => mode switch
    {
        HashingMode.Inline => "inline",
        HashingMode.ThreadPool => "threadpool",
        _ => "pool",
    };

    public static bool TryParse(string? name, [NotNullWhen(true)] out HashingMode? mode)
    {
        mode = name?.ToUpperInvariant() switch
        {
            "POOL" => HashingMode.Pool,
            "INLINE" => HashingMode.Inline,
            "THREADPOOL" => HashingMode.ThreadPool,
            _ => null,
        };
        return mode is not null;
    }
}
