namespace TaskPool.Samples.BatchThumbnails.Tests;

/// <summary>A real temp folder with input/ and output/ below it, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "taskpool-thumbs-tests-" + Guid.NewGuid().ToString("N"));
        Input = Path.Combine(Root, "input");
        Output = Path.Combine(Root, "output");
        Directory.CreateDirectory(Input);
    }

    public string Root { get; }

    public string Input { get; }

    public string Output { get; }

    /// <summary>Writes an input file at a path relative to <see cref="Input"/>, creating its folders.</summary>
    public void AddInput(string relative, byte[] content)
    {
        string path = Path.Combine(Input, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }

    /// <summary>Every file under <see cref="Output"/>, hidden ones included, relative with '/' separators.</summary>
    public string[] OutputFiles() =>
        !Directory.Exists(Output)
            ? []
            : [.. Directory.EnumerateFiles(Output, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Select(p => Path.GetRelativePath(Output, p).Replace(Path.DirectorySeparatorChar, '/'))
                .Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
