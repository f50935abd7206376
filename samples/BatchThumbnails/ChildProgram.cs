using System.Diagnostics;
using System.Reflection;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>
/// The program that the child processes of <c>--isolation process</c> run: one that serves the thumbnail job, as
/// <see cref="ProcessWorker.RunIfWorker"/> does. <see cref="ThisTool"/> unless the host of the run passes another.
/// </summary>
[DebuggerDisplay("{Path ?? \"(this program)\"} {string.Join(\" \", Arguments)}")]
internal sealed class ChildProgram
{
    private ChildProgram(string? path, IReadOnlyList<string> arguments)
    {
        Path = path;
        Arguments = arguments;
    }

    /// <summary>
    /// The tool itself: this very program when it is the entry point; when another program runs the tool in-process, the tool's
    /// assembly through the dotnet host, never that other program.
    /// </summary>
    public static ChildProgram ThisTool { get; } = Assembly.GetEntryAssembly() == typeof(ChildProgram).Assembly
        ? new ChildProgram(null, [])
        : OnDotnetHost(typeof(ChildProgram).Assembly.Location);

    /// <summary>The executable; null for this very program.</summary>
    public string? Path { get; }

    /// <summary>The arguments before the pool's own: the assembly's path when <see cref="Path"/> is the dotnet host.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>A framework-dependent program, <c>dotnet <paramref name="assemblyPath"/></c>, on the host that runs this process.</summary>
    /// <param name="assemblyPath">The program's <c>.dll</c>.</param>
    public static ChildProgram OnDotnetHost(string assemblyPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(assemblyPath);
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        return new ChildProgram(host, [assemblyPath]);
    }
}
