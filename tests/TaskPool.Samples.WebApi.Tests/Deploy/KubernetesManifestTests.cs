using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using TaskPool.Samples.WebApi.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace TaskPool.Samples.WebApi.Tests.Deploy;

/// <summary>
/// samples/deploy/kubernetes, checked against the real server: every probe path, port, environment variable and metric name the
/// manifests use is one the sample server really serves.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private static readonly string s_folder = Path.Combine(RepositoryRoot.Path, "samples", "deploy", "kubernetes");

    [Fact]
    public async Task Deployment_ProbesEnvironmentAndMetrics_AreWhatTheRunningServerServes()
    {
        YamlMappingNode container = Single(Documents("deployment.yaml"), "Deployment").Seq("spec", "template", "spec", "containers").Single();
        Dictionary<string, string> environment = container.Seq("env").ToDictionary(static e => e.Scalar("name"), static e => e.Scalar("value"), StringComparer.Ordinal);
        int containerPort = int.Parse(container.Seq("ports").Single().Scalar("containerPort"), System.Globalization.CultureInfo.InvariantCulture);
        (string Path, string Port)[] probes = [.. new[] { "startupProbe", "livenessProbe", "readinessProbe" }
            .Select(p => (container.Path(p, "httpGet").Scalar("path"), container.Path(p, "httpGet").Scalar("port")))];
        string[] metricNames = [.. MetricNamesIn("keda-scaledobject.yaml").Concat(MetricNamesIn("hpa-prometheus-adapter.yaml")).Distinct(StringComparer.Ordinal)];
        string[] knownSections = KnownConfigurationSections();

        using var server = SampleProcess.Start(environment); // the manifest's values must pass start-up validation
        Uri address = await server.ListeningAsync();
        using var client = new HttpClient { BaseAddress = address };
        await TestTimeouts.WaitUntilAsync(async () => await StatusAsync(client, "/health/ready") == HttpStatusCode.OK, "/health/ready to answer 200");
        var probeStatuses = new List<(string, HttpStatusCode)>();
        foreach ((string path, string _) in probes)
        {
            probeStatuses.Add((path, await StatusAsync(client, path)));
        }

        string metrics = "";
        await TestTimeouts.WaitUntilAsync(
            async () => (metrics = await client.GetStringAsync("/metrics")).Contains(metricNames[0], StringComparison.Ordinal),
            "the pool metrics to be published");
        JsonElement stats = await client.GetFromJsonAsync<JsonElement>("/stats");

        Assert.Contains(probes, static p => p.Path == "/health/live");
        Assert.Contains(probes, static p => p.Path == "/health/ready");
        Assert.All(probeStatuses, static s => Assert.Equal(HttpStatusCode.OK, s.Item2));
        Assert.All(probes, p => Assert.Equal(containerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Port));
        Assert.Equal(containerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.All(environment.Keys.Where(static k => !k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) && !k.StartsWith("DOTNET_", StringComparison.Ordinal)),
            k => Assert.Contains(k.Split("__")[0], knownSections));
        Assert.Equal(environment["WorkerPool__WorkerCount"], stats.GetProperty("default").GetProperty("workerCount").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(environment["ImagesPool__WorkerCount"], stats.GetProperty("images").GetProperty("workerCount").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["taskpool_queue_depth"], metricNames); // the name Prometheus conventions give the taskpool.queue.depth gauge
        Assert.All(metricNames, m => Assert.Contains($"\n{m}{{", metrics, StringComparison.Ordinal));
        Assert.Contains("taskpool_pool_name=\"images\"", metrics, StringComparison.Ordinal); // the label the KEDA query filters on
    }

    [Fact]
    public void Deployment_TerminationGracePeriod_CoversReadinessDelayAndShutdownTimeout()
    {
        YamlMappingNode spec = Single(Documents("deployment.yaml"), "Deployment").Path("spec", "template", "spec");
        YamlMappingNode container = spec.Seq("containers").Single();
        string delay = container.Seq("env").Single(static e => e.Scalar("name") == "Shutdown__ReadinessDelay").Scalar("value");
        int grace = int.Parse(spec.Scalar("terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(grace > TimeSpan.Parse(delay, System.Globalization.CultureInfo.InvariantCulture).TotalSeconds + 30, $"terminationGracePeriodSeconds {grace} must exceed the readiness delay {delay} plus the host's 30 s ShutdownTimeout");
        Assert.NotNull(container.Path("resources", "requests").Scalar("cpu"));
        Assert.NotNull(container.Path("resources", "limits").Scalar("memory"));
    }

    [Fact]
    public void Manifests_ServicePdbHpaAndJob_PointAtTheDeploymentAndTheTool()
    {
        YamlMappingNode deployment = Single(Documents("deployment.yaml"), "Deployment");
        string app = deployment.Path("spec", "selector", "matchLabels").Scalar("app");
        string port = deployment.Seq("spec", "template", "spec", "containers").Single().Seq("ports").Single().Scalar("containerPort");
        YamlMappingNode service = Single(Documents("service.yaml"), "Service");
        YamlMappingNode pdb = Single(Documents("pdb.yaml"), "PodDisruptionBudget");
        YamlMappingNode[] adapter = Documents("hpa-prometheus-adapter.yaml");
        YamlMappingNode hpa = Single(adapter, "HorizontalPodAutoscaler");
        string adapterRules = Single(adapter, "ConfigMap").Path("data").Scalar("config.yaml");
        YamlMappingNode scaledObject = Single(Documents("keda-scaledobject.yaml"), "ScaledObject");
        YamlMappingNode job = Single(Documents("batch-job.yaml"), "Job");
        string jobArgs = string.Join(' ', job.Seq("spec", "template", "spec", "containers").Single().Scalars("args"));
        string dockerfile = File.ReadAllText(Path.Combine(s_folder, "Dockerfile"));

        Assert.Equal(app, service.Path("spec", "selector").Scalar("app"));
        Assert.Equal(port, service.Seq("spec", "ports").Single().Scalar("targetPort"));
        Assert.Equal(app, pdb.Path("spec", "selector", "matchLabels").Scalar("app"));
        Assert.Equal(deployment.Path("metadata").Scalar("name"), hpa.Path("spec", "scaleTargetRef").Scalar("name"));
        Assert.Equal(deployment.Path("metadata").Scalar("name"), scaledObject.Path("spec", "scaleTargetRef").Scalar("name"));
        Assert.Contains($"as: \"{hpa.Seq("spec", "metrics").Single().Path("pods", "metric").Scalar("name")}\"", adapterRules, StringComparison.Ordinal);
        Assert.Equal("Indexed", job.Path("spec").Scalar("completionMode"));
        Assert.Contains($"--shard auto/{job.Path("spec").Scalar("completions")}", jobArgs, StringComparison.Ordinal);
        Assert.Contains($"EXPOSE {port}", dockerfile, StringComparison.Ordinal);
        Assert.Contains("USER $APP_UID", dockerfile, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using HttpResponseMessage response = await client.GetAsync(path);
        return response.StatusCode;
    }

    /// <summary>Metric names in the PromQL of a manifest: every <c>taskpool_...{</c>.</summary>
    private static IEnumerable<string> MetricNamesIn(string file)
        => PromQlMetric().Matches(File.ReadAllText(Path.Combine(s_folder, file))).Select(static m => m.Groups[1].Value);

    /// <summary>The top-level sections of the server's appsettings.json: the configuration an environment variable may set.</summary>
    private static string[] KnownConfigurationSections()
    {
        using JsonDocument settings = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "appsettings.json")));
        return [.. settings.RootElement.EnumerateObject().Select(static p => p.Name)];
    }

    private static YamlMappingNode[] Documents(string file)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(s_folder, file)))
        {
            stream.Load(reader);
        }

        return [.. stream.Documents.Select(static d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlMappingNode Single(YamlMappingNode[] documents, string kind) => Assert.Single(documents, d => d.Scalar("kind") == kind);


    [GeneratedRegex(@"\b(taskpool_[a-z_]+)\{")]
    private static partial Regex PromQlMetric();
}
