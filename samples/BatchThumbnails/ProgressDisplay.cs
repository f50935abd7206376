using System.Globalization;
using Spectre.Console;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>Shows a run's progress until it ends: a Spectre.Console progress bar on a terminal, plain periodic lines otherwise.</summary>
internal static class ProgressDisplay
{
    private static readonly TimeSpan s_barRefresh = TimeSpan.FromMilliseconds(200);

    /// <summary>Plain lines every <paramref name="interval"/> (CI logs, pipes): done/total, percent, rate and ETA.</summary>
    public static async Task ShowLinesAsync(Task run, BatchProgress progress, TextWriter output, TimeSpan interval)
    {
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(interval)).ConfigureAwait(false);
            if (!run.IsCompleted)
            {
                await output.WriteLineAsync(Describe(progress)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A live progress bar with the rate and the time left, drawn with Spectre.Console on <paramref name="output"/>.</summary>
    public static Task ShowBarAsync(Task run, BatchProgress progress, TextWriter output)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.Detect,
            Interactive = InteractionSupport.Yes,
        });
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask("thumbnails", maxValue: Math.Max(1, progress.Total));
                while (!run.IsCompleted)
                {
                    Update(task, progress);
                    await Task.WhenAny(run, Task.Delay(s_barRefresh)).ConfigureAwait(false);
                }

                Update(task, progress);
            });
    }

    /// <summary>One line: <c>progress: 120/500 (24%), 3 failed, 45.2 images/s, ETA 00:00:08</c>.</summary>
    public static string Describe(BatchProgress progress)
    {
        int total = progress.Total;
        int done = progress.Done;
        double percent = total > 0 ? 100.0 * done / total : 100;
        string eta = progress.Remaining is { } remaining ? remaining.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "--:--:--";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"progress: {done}/{total} ({percent:F0}%), {progress.Failed} failed, {progress.Rate:F1} images/s, ETA {eta}");
    }

    private static void Update(ProgressTask task, BatchProgress progress)
    {
        task.MaxValue = Math.Max(1, progress.Total);
        task.Value = progress.Done;
        task.Description = string.Create(
            CultureInfo.InvariantCulture,
            $"{progress.Done}/{progress.Total} files, {progress.Failed} failed, {progress.Rate:F1} images/s");
    }
}
