namespace TaskPool.Samples.WebApi.Tests.Infrastructure;

/// <summary>
/// A test that runs the sample server behind a real HAProxy through samples/deploy/local. Outside CI (the <c>CI</c> environment variable
/// unset) it is skipped, with a message, when HAProxy is not installed; under CI it always runs (.ci/run installs Debian's haproxy), so that
/// a missing load balancer fails the build instead of hiding.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class HaproxyFactAttribute : FactAttribute
{
    public HaproxyFactAttribute()
    {
        if (!IsInstalled() && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = "HAProxy is not installed (apt-get install -y haproxy, or run .ci/run, which installs it). Under CI this test runs instead of skipping.";
        }
    }

    private static bool IsInstalled()
        => File.Exists("/usr/sbin/haproxy")
            || (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(static d => d.Length > 0 && File.Exists(Path.Combine(d, "haproxy")));
}
