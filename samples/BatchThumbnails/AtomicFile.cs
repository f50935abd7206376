namespace TaskPool.Samples.BatchThumbnails;

/// <summary>Writes a file so that readers see either nothing or the whole file: write a hidden temp file beside it, then rename.</summary>
internal static class AtomicFile
{
    /// <summary>The suffix of temp files; they also start with a dot, so the tool never takes them for inputs.</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>Writes <paramref name="data"/> to <paramref name="path"/> through a temp file and a rename in the same folder.</summary>
    /// <param name="path">The final path.</param>
    /// <param name="data">The whole content.</param>
    /// <param name="overwrite">Whether to replace an existing file; when false and one exists, an <see cref="IOException"/> is thrown and nothing changes.</param>
    /// <param name="cancellationToken">Cancels the write; the temp file is deleted.</param>
    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> data, bool overwrite, CancellationToken cancellationToken)
    {
        string directory = Path.GetDirectoryName(path) ?? ".";
        string temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
                PreallocationSize = data.Length,
            };
            await using (var stream = new FileStream(temp, options))
            {
                await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, path, overwrite); // rename(2) within one folder: atomic
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
