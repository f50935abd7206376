namespace TaskPool.Samples.BatchThumbnails.Tests;

/// <summary>Runs the command in-process, capturing what it writes.</summary>
internal static class BatchRun
{
    public static async Task<(int ExitCode, string Output)> InProcessAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        int exitCode = await BatchCommand.RunAsync(args, output, interactive: false, cancellationToken);
        return (exitCode, output.ToString());
    }

    public static Task<(int ExitCode, string Output)> InProcessAsync(params string[] args) => InProcessAsync(CancellationToken.None, args);
}
