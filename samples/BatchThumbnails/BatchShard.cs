using System.Globalization;
using System.Text;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>
/// One of <see cref="Count"/> disjoint, balanced parts of the input (<c>--shard i/N</c>): a file belongs to shard
/// <c>FNV-1a-64(UTF-8 of its relative path with '/' separators) mod N</c>, the same on every machine and in every process
/// (never <see cref="string.GetHashCode()"/>, which is randomized per process).
/// </summary>
/// <param name="Index">This shard, 0..Count-1.</param>
/// <param name="Count">How many shards share the input, 1 or more.</param>
internal readonly record struct BatchShard(int Index, int Count)
{
    /// <summary>The environment variable a Kubernetes Indexed Job sets to the pod's index; read by <c>--shard auto/N</c>.</summary>
    public const string JobCompletionIndexVariable = "JOB_COMPLETION_INDEX";

    private const ulong FnvOffsetBasis = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>The whole input: one shard of one.</summary>
    public static BatchShard All => new(0, 1);

    /// <summary>Whether the file at <paramref name="relativePath"/> ('/' separators) belongs to this shard.</summary>
    public bool Contains(string relativePath) => Count == 1 || (int)(Hash(relativePath) % (ulong)Count) == Index;

    /// <summary>FNV-1a, 64 bits, of the UTF-8 bytes of <paramref name="relativePath"/>.</summary>
    public static ulong Hash(string relativePath)
    {
        ulong hash = FnvOffsetBasis;
        foreach (byte b in Encoding.UTF8.GetBytes(relativePath))
        {
            hash ^= b;
            hash *= FnvPrime;
        }

        return hash;
    }

    /// <summary>
    /// Parses <c>i/N</c> (0 &lt;= i &lt; N) or <c>auto/N</c> (i from <see cref="JobCompletionIndexVariable"/>); returns the problem, or null.
    /// </summary>
    public static string? TryParse(string text, Func<string, string?> getEnvironment, out BatchShard shard)
    {
        shard = All;
        string[] parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            || count < 1)
        {
            return $"--shard must be i/N with N a whole number of at least 1 and 0 <= i < N (or auto/N); got '{text}'.";
        }

        string indexText = parts[0];
        if (string.Equals(indexText, "auto", StringComparison.OrdinalIgnoreCase))
        {
            indexText = getEnvironment(JobCompletionIndexVariable) ?? string.Empty;
            if (indexText.Length == 0)
            {
                return $"--shard {text}: the environment variable {JobCompletionIndexVariable} is not set (a Kubernetes Indexed Job sets it).";
            }
        }

        if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= count)
        {
            return $"--shard must be i/N with 0 <= i < N; got index '{indexText}' of {count} in '{text}'.";
        }

        shard = new BatchShard(index, count);
        return null;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
