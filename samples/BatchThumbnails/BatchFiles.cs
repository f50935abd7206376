using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using TaskPool.Samples.Imaging;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>
/// The file side of a run: enumerates the input folder lazily, claims each input's output name, reads an input into a pooled
/// buffer and writes a thumbnail atomically. Skips, conflicts and write failures go to the <see cref="BatchLedger"/>.
/// </summary>
[DebuggerDisplay("{_settings.InputDirectory} -> {_settings.OutputDirectory}")]
internal sealed class BatchFiles(BatchSettings settings, BatchLedger ledger)
{
    private readonly BatchSettings _settings = settings;
    private readonly BatchLedger _ledger = ledger;
    private readonly HashSet<string> _claimedOutputs = new(StringComparer.Ordinal); // only the run's one reader touches it

    /// <summary>Counts the input files: the first of two passes over the folder, so that nothing is kept per file to know the total.</summary>
    public int Count()
    {
        int count = 0;
        foreach (string _ in EnumerateInputs())
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// The files to process, lazily, each with the output it claimed: an input whose output exists (without <c>--overwrite</c>) is
    /// counted as skipped, and one whose output name another input took is an OutputConflict; neither comes out. One reader at a time.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled: no file is claimed after that.</exception>
    public IEnumerable<BatchFile> Claim(CancellationToken cancellationToken)
    {
        foreach (string inputPath in EnumerateInputs())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryClaim(inputPath) is { } file)
            {
                yield return file;
            }
        }
    }

    /// <summary>Reads a whole input into a buffer rented from the array pool; the caller owns it.</summary>
    /// <exception cref="ImageRejectedException">TooLarge: refused from its length, before it is read.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public async Task<OwnedBuffer<byte>> ReadAsync(BatchFile file, CancellationToken cancellationToken)
    {
        using SafeFileHandle handle = File.OpenHandle(file.InputPath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous | FileOptions.SequentialScan);
        long length = RandomAccess.GetLength(handle);
        if (length > _settings.Limits.MaxInputBytes)
        {
            // Refused before reading: a huge file never enters memory.
            throw new ImageRejectedException(
                ImageRejectionReason.TooLarge,
                FormattableString.Invariant($"The file is {length / (1024.0 * 1024.0):F1} MiB; the largest accepted is {_settings.Limits.MaxInputBytes / (1024.0 * 1024.0):F1} MiB."));
        }

        OwnedBuffer<byte> buffer = OwnedBuffer<byte>.Rent((int)length);
        try
        {
            int read = 0;
            while (read < length)
            {
                int n = await RandomAccess.ReadAsync(handle, buffer.Memory[read..], read, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new IOException("The file became shorter while it was read.");
                }

                read += n;
            }

            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes a thumbnail atomically and records the file as succeeded, or as a WriteError. Never throws. A finished thumbnail is
    /// written even after the run was canceled: it is small, and the write is atomic.
    /// </summary>
    public async Task WriteAsync(BatchFile file, ReadOnlyMemory<byte> thumbnail)
    {
        try
        {
            if (Path.GetDirectoryName(file.OutputPath) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }

            await AtomicFile.WriteAsync(file.OutputPath, thumbnail, _settings.Overwrite, CancellationToken.None).ConfigureAwait(false);
            _ledger.OnSucceeded();
        }
#pragma warning disable CA1031 // One bad file must never stop the run: anything else is recorded against the file.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _ledger.OnFailed(BatchFailure.FromException(file.Relative, ex, BatchFailure.WriteError));
        }
    }

    /// <summary>Files in the input folder, lazily; hidden files (our temp files among them), the output folder and files of other shards are left out.</summary>
    private IEnumerable<string> EnumerateInputs()
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = _settings.Recursive,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint,
        };
        string outputPrefix = Path.TrimEndingDirectorySeparator(_settings.OutputDirectory) + Path.DirectorySeparatorChar;
        foreach (string path in Directory.EnumerateFiles(_settings.InputDirectory, "*", options))
        {
            if (!path.StartsWith(outputPrefix, StringComparison.Ordinal) && _settings.Shard.Contains(RelativePath(path)))
            {
                yield return path;
            }
        }
    }

    private BatchFile? TryClaim(string inputPath)
    {
        string relative = RelativePath(inputPath);
        string outputRelative = Path.ChangeExtension(_settings.Recursive ? relative : Path.GetFileName(inputPath), _settings.Options.Format.GetFileExtension());
        string outputPath = Path.Combine(_settings.OutputDirectory, outputRelative);
        if (!_claimedOutputs.Add(outputPath))
        {
            _ledger.OnFailed(new BatchFailure(relative, BatchFailure.OutputConflict, $"Another input file already maps to the output '{outputRelative}'."));
            return null;
        }

        if (!_settings.Overwrite && File.Exists(outputPath))
        {
            _ledger.OnSkipped();
            return null;
        }

        return new BatchFile(inputPath, relative, outputPath);
    }

    private string RelativePath(string inputPath) =>
        Path.GetRelativePath(_settings.InputDirectory, inputPath).Replace(Path.DirectorySeparatorChar, '/');
}
