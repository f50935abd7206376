using System.Diagnostics;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>One input file of a run, and the output name it claimed.</summary>
/// <param name="InputPath">The full path of the input.</param>
/// <param name="Relative">The input's path relative to the input folder, with '/' separators: how reports name it.</param>
/// <param name="OutputPath">The full path of its thumbnail.</param>
[DebuggerDisplay("{Relative}")]
internal sealed record BatchFile(string InputPath, string Relative, string OutputPath);
