using System.Globalization;
using Microsoft.Playwright;
using TaskPool.Samples.WebApi.Tests.Infrastructure;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>
/// The page's flood demo in headless Chromium (Debian's package, driven by Playwright) against the real Kestrel: the /ping strip, the
/// flood button, the counters and the result line. What the latencies are is a measurement, not a test: nothing here compares them.
/// </summary>
public sealed class DemoPageBrowserTests
{
    [BrowserFact]
    public async Task Page_PoolFloodClicked_PingChartGetsPointsCountersMoveAndTheResultLineAppears()
    {
        using var factory = new SampleServerFactory(SampleServerFactory.FastHashingWith(("Demo:Enabled", "true")), useKestrel: true);
        Uri address = factory.StartKestrel();
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await LaunchAsync(playwright);
        IPage page = await browser.NewPageAsync();
        page.SetDefaultTimeout((float)TestTimeouts.Hang.TotalMilliseconds);

        await page.GotoAsync(address.ToString());
        await page.WaitForFunctionAsync("() => Number(document.getElementById('ping-chart').dataset.points ?? 0) >= 3");
        await page.WaitForFunctionAsync("() => document.querySelector(\"#stats-body tr[data-pool='default']\") !== null");
        await page.WaitForFunctionAsync("() => !document.getElementById('flood-pool').disabled");
        int pingsBefore = await PingPointsAsync(page);
        long completedBefore = await DefaultPoolCompletedAsync(page);

        await page.FillAsync("#flood-seconds", "2");
        await page.FillAsync("#flood-concurrency", "2");
        await page.ClickAsync("#flood-pool");
        await page.WaitForFunctionAsync("() => document.getElementById('flood-pool').disabled"); // one flood at a time
        ILocator result = page.Locator("#flood-results li[data-mode='pool']");
        await result.WaitForAsync();
        await page.WaitForFunctionAsync("() => !document.getElementById('flood-pool').disabled");

        string line = await result.InnerTextAsync();
        Assert.Matches(@"^/ping p99: [\d.]+ ms before, [\d.]+ ms during \(pool\)", line);
        Assert.Contains("2 clients", line, StringComparison.Ordinal);
        Assert.True(await PingPointsAsync(page) > pingsBefore, "the latency chart got no points during the flood");
        await page.WaitForFunctionAsync($"() => Number(document.querySelector(\"#stats-body tr[data-pool='default'] td:nth-child(5)\").textContent) > {completedBefore}");
        Assert.Matches(@"^The pool flood ended\.", await page.TextContentAsync("#flood-status") ?? "");
        Assert.NotEqual("-", await page.TextContentAsync("#ping-p99"));
    }

    [BrowserFact]
    public async Task Page_DemoDisabled_FloodButtonsAreDisabledAndTheNoteSaysHowToTurnItOn()
    {
        using var factory = new SampleServerFactory(SampleServerFactory.FastHashing, useKestrel: true); // Production: Demo:Enabled false
        Uri address = factory.StartKestrel();
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await LaunchAsync(playwright);
        IPage page = await browser.NewPageAsync();
        page.SetDefaultTimeout((float)TestTimeouts.Hang.TotalMilliseconds);

        await page.GotoAsync(address.ToString());
        await page.WaitForFunctionAsync("() => document.getElementById('flood-note').textContent.includes('Demo:Enabled')");

        foreach (string button in new[] { "#flood-pool", "#flood-inline", "#flood-threadpool" })
        {
            Assert.True(await page.IsDisabledAsync(button), $"{button} is enabled although the demo is off");
        }

        await page.WaitForFunctionAsync("() => Number(document.getElementById('ping-chart').dataset.points ?? 0) >= 1"); // /ping still plotted
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright)
        => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = BrowserFactAttribute.ChromiumPath, Headless = true });

    private static async Task<int> PingPointsAsync(IPage page)
        => int.Parse(await page.GetAttributeAsync("#ping-chart", "data-points") ?? "0", CultureInfo.InvariantCulture);

    private static async Task<long> DefaultPoolCompletedAsync(IPage page)
        => long.Parse(
            await page.TextContentAsync("#stats-body tr[data-pool='default'] td:nth-child(5)") ?? "0", CultureInfo.InvariantCulture);
}
