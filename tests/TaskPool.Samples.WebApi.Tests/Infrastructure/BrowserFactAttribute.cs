namespace TaskPool.Samples.WebApi.Tests.Infrastructure;

/// <summary>
/// A test that drives headless Chromium. Outside CI (the <c>CI</c> environment variable unset) it is skipped, with a message, when
/// <see cref="ChromiumPath"/> does not exist; under CI it always runs, so that a missing browser fails the build instead of hiding.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    /// <summary>Debian's <c>chromium</c> package (installed by .ci/run when missing); Playwright drives it and never downloads a browser.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (!File.Exists(ChromiumPath) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = $"No headless browser: {ChromiumPath} is missing (apt-get install -y chromium, or run .ci/run, which installs it). Under CI this test runs instead of skipping.";
        }
    }
}
