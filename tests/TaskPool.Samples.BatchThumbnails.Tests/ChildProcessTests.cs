using System.Diagnostics;
using SkiaSharp;
using TaskPool.Samples.Imaging;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.BatchThumbnails.Tests;

public sealed class ChildProcessTests
{
    [Fact]
    public async Task Main_RealProcessOnMixedFolder_ExitsTwoAndWritesTheGoodFiles()
    {
        using var folder = new TempFolder();
        MixedFolder.Create(folder);

        (int exitCode, string output) = await RunToolAsync(null, folder.Input, folder.Output, "--fit", "contain");

        Assert.True(exitCode == BatchExitCodes.SomeFailed, output);
        Assert.Contains($"Failed files ({MixedFolder.Bad.Length}):", output, StringComparison.Ordinal);
        Assert.Contains("progress:", output, StringComparison.Ordinal); // plain lines: stdout is a pipe, not a terminal
        Assert.Equal(MixedFolder.Good.Select(g => g.Output).Order(StringComparer.Ordinal), folder.OutputFiles());
        foreach ((string _, string name, int width, int height) in MixedFolder.Good)
        {
            Assert.Equal((SKEncodedImageFormat.Jpeg, width, height), OutputProbe.Read(Path.Combine(folder.Output, name)));
        }
    }

    [Fact]
    public async Task Main_RealProcessGetsSigint_StopsCleanlyWithExitCode130()
    {
        using var folder = new TempFolder();
        byte[] photo = TestImages.Photo(ThumbnailFormat.Jpeg, 2000, 1500);
        for (int i = 0; i < 60; i++)
        {
            folder.AddInput($"photo{i:D3}.jpg", photo);
        }

        (int exitCode, string output) = await RunToolAsync(
            process =>
            {
                // Ctrl+C as a terminal sends it, once the first thumbnail exists.
                while (!process.HasExited && !(Directory.Exists(folder.Output) && Directory.EnumerateFiles(folder.Output, "*.jpg").Any()))
                {
                    Thread.Sleep(5);
                }

                if (!process.HasExited)
                {
                    SendSigint(process.Id);
                }
            },
            folder.Input,
            folder.Output,
            "--workers",
            "1");

        Assert.True(exitCode == BatchExitCodes.Canceled, output);
        string[] outputs = folder.OutputFiles();
        Assert.DoesNotContain(outputs, name => name.EndsWith(".tmp", StringComparison.Ordinal) || name.StartsWith('.'));
        Assert.InRange(outputs.Length, 1, 59);
        foreach (string name in outputs)
        {
            Assert.Equal((SKEncodedImageFormat.Jpeg, 320, 320), OutputProbe.Read(Path.Combine(folder.Output, name)));
        }
    }

    /// <summary>Sends SIGINT with kill(1), as a terminal's Ctrl+C does.</summary>
    private static void SendSigint(int pid)
    {
        using Process kill = Process.Start("kill", ["-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>The built tool in a child process, printing progress every 50 ms.</summary>
    private static Task<(int ExitCode, string Output)> RunToolAsync(Action<Process>? whileRunning, params string[] args)
        => BatchRun.AsChildProcessAsync(whileRunning, [.. args, "--progress-interval", "0.05"]);
}
