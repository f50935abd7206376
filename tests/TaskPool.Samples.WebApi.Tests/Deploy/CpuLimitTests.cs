using System.Text.RegularExpressions;
using TaskPool.Samples.WebApi.Tests.Infrastructure;

namespace TaskPool.Samples.WebApi.Tests.Deploy;

/// <summary>
/// The default <c>WorkerCount</c> (processors − 1, at least 1) follows a container's CPU limit: Kubernetes turns <c>resources.limits.cpu</c>
/// into a CFS quota on the container's cgroup, and <see cref="Environment.ProcessorCount"/> honours that quota. The sample server runs as
/// its own process in a fresh cgroup with a quota, as in a pod, and its start-up log line reports what .NET saw.
/// </summary>
public sealed partial class CpuLimitTests
{
    [CgroupFact]
    public async Task DefaultWorkerCount_UnderCgroupCpuQuota_FollowsTheQuota()
    {
        // Outside the cgroup too: on a host with 2 or more processors the two differ, so a quota that .NET ignored would fail the test.
        (int ProcessorCount, int WorkerCount) outside = await StartDefaultPoolAsync(cpus: null);
        (int ProcessorCount, int WorkerCount) inside = await StartDefaultPoolAsync(cpus: 1);

        Assert.Equal((Environment.ProcessorCount, Math.Max(1, Environment.ProcessorCount - 1)), outside);
        Assert.Equal((1, 1), inside);
    }

    [CgroupFact]
    public async Task DefaultWorkerCount_FractionalCpuQuota_RoundsTheProcessorCountUp()
    {
        (int ProcessorCount, int WorkerCount) started = await StartDefaultPoolAsync(cpus: 1.5);

        int expectedProcessors = Math.Min(2, Environment.ProcessorCount); // ceil(1.5); never more than the host has
        Assert.Equal((expectedProcessors, Math.Max(1, expectedProcessors - 1)), started);
    }

    /// <summary>Starts the sample server (in a cgroup limited to <paramref name="cpus"/> when given) and reads its default pool's start-up line.</summary>
    private static async Task<(int ProcessorCount, int WorkerCount)> StartDefaultPoolAsync(double? cpus)
    {
        using CpuQuotaCgroup? cgroup = cpus is { } limit ? CpuQuotaCgroup.Create(limit) : null;
        using SampleProcess server = cgroup is null
            ? SampleProcess.Start(new Dictionary<string, string>())
            : SampleProcess.StartInCgroup(new Dictionary<string, string>(), cgroup.DirectoryPath);
        await server.ListeningAsync();
        await TestTimeouts.WaitUntilAsync(() => DefaultPoolStarted().IsMatch(server.Output), "the default pool's start-up line");

        Match match = DefaultPoolStarted().Match(server.Output);
        Assert.Equal(match.Groups["default"].Value, match.Groups["workers"].Value); // the sample leaves WorkerPool:WorkerCount unset
        return (int.Parse(match.Groups["processors"].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(match.Groups["workers"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"Worker pool 'default' started: (?<workers>\d+) worker threads \((?<processors>\d+) processors, default (?<default>\d+)\)")]
    private static partial Regex DefaultPoolStarted();
}
