using System.Text.Json;

namespace TaskPool.Samples.BatchThumbnails.Tests;

/// <summary><c>--shard i/N</c>: N runs share one folder, each file handled by exactly one; <c>merge-reports</c> merges their reports.</summary>
public sealed class ShardTests
{
    [Theory]
    [InlineData("0/0")]
    [InlineData("3/2")]
    [InlineData("-1/2")]
    [InlineData("abc")]
    [InlineData("1")]
    [InlineData("1/2/3")]
    public async Task RunAsync_BadShard_ExitsOneWithAClearError(string shard)
    {
        using var folder = new TempFolder();

        (int exitCode, string output) = await BatchRun.InProcessAsync(folder.Input, folder.Output, $"--shard={shard}");

        Assert.Equal(BatchExitCodes.UsageError, exitCode);
        Assert.Contains("--shard", output, StringComparison.Ordinal);
        Assert.Contains(shard, output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Output));
    }

    [Fact]
    public void TryParse_AutoWithJobCompletionIndex_TakesTheIndexFromTheEnvironment()
    {
        string? problem = BatchShard.TryParse("auto/4", name => name == BatchShard.JobCompletionIndexVariable ? "2" : null, out BatchShard shard);

        Assert.Null(problem);
        Assert.Equal(new BatchShard(2, 4), shard);
    }

    [Fact]
    public void TryParse_AutoWithoutJobCompletionIndex_NamesTheVariable()
    {
        string? problem = BatchShard.TryParse("auto/4", static _ => null, out _);

        Assert.NotNull(problem);
        Assert.Contains(BatchShard.JobCompletionIndexVariable, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_KnownInput_IsFnv1a64()
    {
        Assert.Equal(0xcbf29ce484222325UL, BatchShard.Hash(string.Empty));
        Assert.Equal(0xaf63dc4c8601ec8cUL, BatchShard.Hash("a"));
    }

    [Fact]
    public void Contains_ThousandPaths_EachInExactlyOneOfFourShardsAndBalanced()
    {
        string[] paths = [.. Enumerable.Range(0, 1000).Select(static i => $"photos/2026/img{i:D4}.jpg")];
        BatchShard[] shards = [.. Enumerable.Range(0, 4).Select(static i => new BatchShard(i, 4))];

        Assert.All(paths, p => Assert.Single(shards, s => s.Contains(p)));
        Assert.All(shards, s => Assert.InRange(paths.Count(s.Contains), 200, 300));
    }

    [Fact]
    public async Task Main_FourShardProcessesOverOneFolder_HandleEachFileOnceAndTheirReportsMerge()
    {
        using var folder = new TempFolder();
        MixedFolder.Create(folder);
        MixedFolder.Create(folder, "sub/");
        string[] expectedOutputs = [.. MixedFolder.Good.SelectMany(static g => new[] { g.Output, "sub/" + g.Output }).Order(StringComparer.Ordinal)];
        string[] expectedFailures = [.. MixedFolder.Bad.SelectMany(static b => new[] { b.Input, "sub/" + b.Input }).Order(StringComparer.Ordinal)];

        (int ExitCode, string Output)[] runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => BatchRun.AsChildProcessAsync(
            null, folder.Input, Path.Combine(folder.Root, $"out{i}"), "--recursive", "--fit", "contain", "--workers", "1",
            "--shard", $"{i}/4", "--json", Path.Combine(folder.Root, $"report{i}.json"))));
        string merged = Path.Combine(folder.Root, "merged.json");
        (int mergeExitCode, string mergeOutput) = await BatchRun.InProcessAsync(
            ["merge-reports", .. Enumerable.Range(0, 4).Select(i => Path.Combine(folder.Root, $"report{i}.json")), "-o", merged]);

        Assert.All(runs, static r => Assert.True(r.ExitCode is BatchExitCodes.Success or BatchExitCodes.SomeFailed, r.Output));
        string[] outputs = [.. Enumerable.Range(0, 4).SelectMany(i => OutputsOf(Path.Combine(folder.Root, $"out{i}"))).Order(StringComparer.Ordinal)];
        Assert.All(Enumerable.Range(0, 4), i => Assert.True(FilesIn(Path.Combine(folder.Root, $"report{i}.json")) > 0, $"shard {i} got no file")); // 4, 2, 5, 7 of 18
        Assert.Equal(expectedOutputs, outputs); // every good file once: a file written by two shards would appear twice
        Assert.True(mergeExitCode == BatchExitCodes.Success, mergeOutput);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllBytes(merged));
        JsonElement root = report.RootElement;
        Assert.Equal(expectedOutputs.Length + expectedFailures.Length, root.GetProperty("files").GetInt32());
        Assert.Equal(expectedOutputs.Length, root.GetProperty("succeeded").GetInt32());
        Assert.Equal(expectedFailures.Length, root.GetProperty("failed").GetInt32());
        Assert.Equal(expectedFailures, root.GetProperty("failures").EnumerateArray().Select(static f => f.GetProperty("path").GetString()!));
        Assert.Equal(["0/4", "1/4", "2/4", "3/4"], root.GetProperty("shards").EnumerateArray().Select(static s => s.GetString()!));
    }

    [Fact]
    public async Task MergeReports_SameReportTwice_ExitsOneNamingTheOverlap()
    {
        using var folder = new TempFolder();
        MixedFolder.Create(folder);
        string report = Path.Combine(folder.Root, "report.json");
        (int runExitCode, string runOutput) = await BatchRun.InProcessAsync(folder.Input, folder.Output, "--workers", "1", "--json", report);
        Assert.True(runExitCode == BatchExitCodes.SomeFailed, runOutput);

        (int exitCode, string output) = await BatchRun.InProcessAsync("merge-reports", report, report, "-o", Path.Combine(folder.Root, "merged.json"));

        Assert.Equal(BatchExitCodes.UsageError, exitCode);
        Assert.Contains("the shards overlap", output, StringComparison.Ordinal);
    }

    private static int FilesIn(string reportPath)
    {
        using JsonDocument report = JsonDocument.Parse(File.ReadAllBytes(reportPath));
        return report.RootElement.GetProperty("files").GetInt32();
    }

    private static IEnumerable<string> OutputsOf(string directory) =>
        !Directory.Exists(directory)
            ? []
            : Directory.EnumerateFiles(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Select(p => Path.GetRelativePath(directory, p).Replace(Path.DirectorySeparatorChar, '/'));
}
