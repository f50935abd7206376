using System.Globalization;
using TaskPool.Samples.WebApi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TaskPool.Samples.WebApi.Tests.Deploy;

/// <summary>
/// samples/deploy/local for real: three instances of the sample server behind HAProxy (health-checked on /health/ready every second,
/// no retries), a steady load of /ping and /hash through HAProxy, and rolling-restart.sh replacing every instance in the middle of it.
/// With the readiness delay, HAProxy takes each instance out of rotation before it stops accepting: nothing fails. Without it, the
/// instance closes its port while HAProxy still routes to it: requests fail, which shows that the first test can fail.
/// </summary>
public sealed class RollingRestartTests(ITestOutputHelper testOutput)
{
    private const int Instances = 3;
    private const int PingsPerSecond = 60;
    private const int HashesPerSecond = 4;

    /// <summary>Well above HAProxy's 1 s check interval; the sample server's own default is 5 s.</summary>
    private static readonly TimeSpan s_readinessDelay = TimeSpan.FromSeconds(4);

    [HaproxyFact]
    public async Task RollingRestart_UnderSteadyLoadWithReadinessDelay_FailsNoRequestAndReplacesEveryInstance()
    {
        RestartRun run = await RestartUnderLoadAsync(s_readinessDelay);

        Assert.True(run.ExitCode == 0, $"rolling-restart.sh exited with {run.ExitCode}:\n{run.ScriptOutput}");
        Assert.True(run.Failures.Length == 0, $"{run.Failures.Length} of {run.Outcomes.Length} requests failed:\n{run.Describe()}");
        AssertLoadSpannedTheRestart(run);
        AssertEveryInstanceReplaced(run);
        Assert.All(run.StatusAfter, static s => Assert.Equal("UP", s));
    }

    [HaproxyFact]
    public async Task RollingRestart_WithoutReadinessDelay_FailsRequests()
    {
        RestartRun run = await RestartUnderLoadAsync(TimeSpan.Zero);

        Assert.True(run.ExitCode == 0, $"rolling-restart.sh exited with {run.ExitCode}:\n{run.ScriptOutput}");
        AssertLoadSpannedTheRestart(run);
        AssertEveryInstanceReplaced(run);
        Assert.True(run.Failures.Length > 0, $"Expected failed requests when instances stop accepting before HAProxy notices; none of {run.Outcomes.Length} failed.\n{run.Describe()}");
        Assert.All(run.Failures, f => Assert.True(
            f.SentAt >= run.RestartStarted && f.SentAt <= run.RestartEnded,
            $"A request failed outside the rolling restart ({run.RestartStarted.TotalSeconds:F2}..{run.RestartEnded.TotalSeconds:F2} s): {f}"));
    }

    private async Task<RestartRun> RestartUnderLoadAsync(TimeSpan readinessDelay)
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync(Instances, readinessDelay);
        int[] before = cluster.ProcessIds();
        using var client = new HttpClient { BaseAddress = cluster.Address, Timeout = TimeSpan.FromSeconds(60) };

        SteadyLoad load = SteadyLoad.Start(client, PingsPerSecond, HashesPerSecond);
        await Task.Delay(TimeSpan.FromSeconds(1));
        TimeSpan restartStarted = load.Elapsed;
        (int exitCode, string output) = await cluster.RollingRestartAsync();
        TimeSpan restartEnded = load.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(1));
        SteadyLoad.Outcome[] outcomes = await load.StopAsync();

        string stats = await cluster.StatsAsync();
        int[] after = cluster.ProcessIds();
        var run = new RestartRun(
            exitCode,
            output,
            outcomes,
            restartStarted,
            restartEnded,
            before,
            after,
            [.. after.Where(static pid => !Directory.Exists($"/proc/{pid}"))], // checked before the cluster is stopped
            [.. Enumerable.Range(0, Instances).Select(i => ServerStatus(stats, i))],
            [.. Enumerable.Range(0, Instances).Select(cluster.InstanceLog)],
            stats);
        testOutput.WriteLine(run.Summary());
        return run;
    }

    private static void AssertLoadSpannedTheRestart(RestartRun run)
    {
        foreach (string request in new[] { "GET /ping", "POST /hash" })
        {
            Assert.True(
                run.Outcomes.Any(o => o.Request == request && o.Succeeded && o.SentAt < run.RestartStarted),
                $"No {request} succeeded before the restart began:\n{run.Describe()}");
            Assert.True(
                run.Outcomes.Any(o => o.Request == request && o.Succeeded && o.SentAt > run.RestartEnded),
                $"No {request} succeeded after the restart ended:\n{run.Describe()}");
            Assert.True(
                run.Outcomes.Count(o => o.Request == request && o.Succeeded && o.SentAt >= run.RestartStarted && o.SentAt <= run.RestartEnded) >= Instances,
                $"Too few {request} succeeded during the restart to call it under load:\n{run.Describe()}");
        }
    }

    private static void AssertEveryInstanceReplaced(RestartRun run)
    {
        Assert.Empty(run.PidsBefore.Intersect(run.PidsAfter));
        Assert.All(run.PidsBefore, static pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"The replaced instance (pid {pid}) is still running."));
        Assert.True(run.SuccessorsNotRunning.Length == 0, $"Successors not running at the end of the restart: {string.Join(' ', run.SuccessorsNotRunning)}");
        for (int i = 0; i < Instances; i++)
        {
            // Each instance's log holds its predecessor's orderly exit: the pool drained after SIGTERM instead of dying mid-job.
            Assert.Contains("Worker pool 'default' stopped:", run.Logs[i], StringComparison.Ordinal);
        }
    }

    /// <summary>The check status of server <c>web{instance}</c> in HAProxy's CSV statistics (field 18, "status").</summary>
    private static string ServerStatus(string statsCsv, int instance)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"web{instance}");
        string[] row = statsCsv.Split('\n').Select(static l => l.Split(',')).Single(f => f.Length > 17 && f[0] == "webapi" && f[1] == name);
        return row[17];
    }

    private sealed record RestartRun(
        int ExitCode,
        string ScriptOutput,
        SteadyLoad.Outcome[] Outcomes,
        TimeSpan RestartStarted,
        TimeSpan RestartEnded,
        int[] PidsBefore,
        int[] PidsAfter,
        int[] SuccessorsNotRunning,
        string[] StatusAfter,
        string[] Logs,
        string Stats)
    {
        public SteadyLoad.Outcome[] Failures { get; } = [.. Outcomes.Where(static o => !o.Succeeded)];

        public string Summary()
        {
            var lines = new List<string>
            {
                string.Create(CultureInfo.InvariantCulture, $"restart from {RestartStarted.TotalSeconds:F2} s to {RestartEnded.TotalSeconds:F2} s; pids {string.Join(' ', PidsBefore)} -> {string.Join(' ', PidsAfter)}"),
            };
            lines.AddRange(Outcomes.GroupBy(static o => (o.Request, o.Succeeded)).Select(static g => $"{g.Key.Request} {(g.Key.Succeeded ? "succeeded" : "failed")}: {g.Count()}"));
            lines.AddRange(Failures.Take(20).Select(static f => "  " + f));
            return string.Join('\n', lines);
        }

        public string Describe()
        {
            var lines = new List<string> { Summary() };
            lines.Add("rolling-restart.sh:");
            lines.Add(ScriptOutput);
            lines.Add("HAProxy statistics:");
            lines.Add(Stats);
            return string.Join('\n', lines);
        }
    }
}
