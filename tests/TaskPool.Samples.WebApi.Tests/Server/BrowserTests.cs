using Microsoft.Playwright;
using TaskPool.Samples.WebApi.Tests.Infrastructure;
using TaskPool.Samples.Imaging;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>The sample's HTML page in headless Chromium (Debian's package, driven by Playwright) against the real Kestrel.</summary>
public sealed class BrowserTests
{
    [BrowserFact]
    public async Task Page_UploadImageAndHashPassword_ShowsTheThumbnailAndTheHashAndTheStatsUpdate()
    {
        using var factory = new SampleServerFactory(SampleServerFactory.FastHashing, useKestrel: true);
        Uri address = factory.StartKestrel();
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.ChromiumPath,
            Headless = true,
        });
        IPage page = await browser.NewPageAsync();
        page.SetDefaultTimeout((float)TestTimeouts.Hang.TotalMilliseconds);

        await page.GotoAsync(address.ToString());
        await page.WaitForFunctionAsync("() => document.querySelector(\"#stats-body tr[data-pool='images']\") !== null");
        int pollsBefore = int.Parse(await page.GetAttributeAsync("#stats-updated", "data-polls") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

        // Upload: the thumbnail appears with the requested size.
        await page.SetInputFilesAsync("#image-file", new FilePayload
        {
            Name = "photo.jpg",
            MimeType = "image/jpeg",
            Buffer = TestImages.Photo(ThumbnailFormat.Jpeg, 640, 480),
        });
        await page.FillAsync("#thumb-width", "120");
        await page.FillAsync("#thumb-height", "90");
        await page.ClickAsync("#thumb-submit");
        await page.WaitForFunctionAsync("() => { const i = document.getElementById('thumb-result'); return !i.hidden && i.complete && i.naturalWidth === 120 && i.naturalHeight === 90; }");

        // The live table shows the job the images pool completed.
        await page.WaitForFunctionAsync("() => Number(document.querySelector(\"#stats-body tr[data-pool='images'] td:nth-child(5)\").textContent) >= 1");

        // Hash, then verify, through the page.
        await page.FillAsync("#password", "hunter2");
        await page.ClickAsync("#hash-submit");
        await page.WaitForFunctionAsync("() => document.getElementById('hash-result').textContent.startsWith('$pbkdf2-sha512$i=1000$')");
        await page.ClickAsync("#verify-submit");
        await page.WaitForFunctionAsync("() => document.getElementById('hash-status').textContent === 'The password matches.'");

        int pollsAfter = int.Parse(await page.GetAttributeAsync("#stats-updated", "data-polls") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(pollsAfter > pollsBefore, "the stats table did not refresh");
        Assert.Contains("/", await page.TextContentAsync("#stats-body tr[data-pool='default'] td:nth-child(2)"), StringComparison.Ordinal);
    }
}
