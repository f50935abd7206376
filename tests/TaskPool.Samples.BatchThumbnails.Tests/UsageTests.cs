namespace TaskPool.Samples.BatchThumbnails.Tests;

public sealed class UsageTests
{
    [Fact]
    public async Task RunAsync_Help_ExitsZeroAndListsTheOptions()
    {
        (int exitCode, string output) = await BatchRun.InProcessAsync("--help");

        Assert.Equal(BatchExitCodes.Success, exitCode);
        foreach (string option in new[] { "--width", "--height", "--format", "--quality", "--fit", "--workers", "--recursive", "--overwrite", "--json" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_MissingInputFolder_ExitsOneNamingIt()
    {
        using var folder = new TempFolder();
        string missing = Path.Combine(folder.Root, "nope");

        (int exitCode, string output) = await BatchRun.InProcessAsync(missing, folder.Output);

        Assert.Equal(BatchExitCodes.UsageError, exitCode);
        Assert.Contains(missing, output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Output));
    }

    [Theory]
    [InlineData("--width", "0", "--width must be a whole number from 1 to 4096; got 0.")]
    [InlineData("--height", "5000", "--height must be a whole number from 1 to 4096; got 5000.")]
    [InlineData("--width", "abc", "abc")]
    [InlineData("--quality", "0", "--quality must be a whole number from 1 to 100; got 0.")]
    [InlineData("--format", "gif", "--format must be jpeg, png or webp; got 'gif'.")]
    [InlineData("--fit", "stretch", "--fit must be cover or contain; got 'stretch'.")]
    [InlineData("--workers", "0", "--workers must be a whole number from 1 to 256; got 0.")]
    public async Task RunAsync_BadOption_ExitsOneWithAClearError(string option, string value, string expected)
    {
        using var folder = new TempFolder();

        (int exitCode, string output) = await BatchRun.InProcessAsync(folder.Input, folder.Output, option, value);

        Assert.Equal(BatchExitCodes.UsageError, exitCode);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Output));
    }

    [Fact]
    public async Task RunAsync_MissingOutputArgument_ExitsOne()
    {
        using var folder = new TempFolder();

        (int exitCode, _) = await BatchRun.InProcessAsync(folder.Input);

        Assert.Equal(BatchExitCodes.UsageError, exitCode);
    }

    [Fact]
    public async Task RunAsync_UnwritableOutputFolder_ExitsOneNamingIt()
    {
        using var folder = new TempFolder();
        string aFile = Path.Combine(folder.Root, "a-file");
        File.WriteAllText(aFile, "not a folder");
        string output = Path.Combine(aFile, "thumbs"); // cannot be created, even by root

        (int exitCode, string text) = await BatchRun.InProcessAsync(folder.Input, output);

        Assert.Equal(BatchExitCodes.UsageError, exitCode);
        Assert.Contains("error: cannot write to the output folder", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OutputFolderIsTheInputFolder_ExitsOne()
    {
        using var folder = new TempFolder();

        (int exitCode, string output) = await BatchRun.InProcessAsync(folder.Input, folder.Input);

        Assert.Equal(BatchExitCodes.UsageError, exitCode);
        Assert.Contains("must not be the input folder", output, StringComparison.Ordinal);
    }
}
