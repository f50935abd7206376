namespace TaskPool.LoadTest;

/// <summary>Finds the sample server's Release build and the repository's files by walking up from this harness's build output.</summary>
internal static class ServerLocator
{
    /// <summary><c>samples/WebApi/bin/Release/net10.0/TaskPool.Samples.WebApi.dll</c> in the first ancestor that has it, or null.</summary>
    public static string? FindServer() => FindInAncestors(Path.Combine("samples", "WebApi", "bin", "Release", "net10.0", "TaskPool.Samples.WebApi.dll"));

    /// <summary><paramref name="relativePath"/> under the first ancestor of this harness's build output that has it, or null.</summary>
    public static string? FindInAncestors(string relativePath)
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
