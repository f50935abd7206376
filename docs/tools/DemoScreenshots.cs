#:package Microsoft.Playwright
#:property PublishAot=false
// Takes docs/images/demo-pool-flood.png and demo-inline-flood.png: the sample page in headless Chromium (Debian's /usr/bin/chromium;
// Playwright never downloads a browser) during a pool flood, then just after an inline flood. Prints what it saw and the load average.
//
//   ASPNETCORE_ENVIRONMENT=Development dotnet run --project samples/WebApi -c Release --urls http://127.0.0.1:5000 &
//   dotnet run docs/tools/DemoScreenshots.cs -- http://127.0.0.1:5000 docs/images [seconds]
using System.Globalization;
using Microsoft.Playwright;

string address = args.Length > 0 ? args[0] : "http://127.0.0.1:5000";
string outputFolder = args.Length > 1 ? args[1] : "docs/images";
int seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
Directory.CreateDirectory(outputFolder);

using IPlaywright playwright = await Playwright.CreateAsync();
await using IBrowser browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true });
IPage page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1060 }, ColorScheme = ColorScheme.Light });
page.SetDefaultTimeout(120_000);
await page.GotoAsync(address);
await Task.Delay(TimeSpan.FromSeconds(3));
await page.ReloadAsync(); // the first requests of a fresh server pay for JIT compilation: keep that spike out of the pictures
await page.FillAsync("#flood-seconds", seconds.ToString(CultureInfo.InvariantCulture));
Console.WriteLine($"Baseline: 15 s of /ping at rest. Load: {LoadAverage()}");
await Task.Delay(TimeSpan.FromSeconds(15));

// The pool flood, shot at 80 % of its length; then its result line.
await page.ClickAsync("#flood-pool");
await Task.Delay(TimeSpan.FromSeconds(seconds * 0.8));
await Shoot("demo-pool-flood.png");
await page.WaitForSelectorAsync("#flood-results li[data-mode='pool']");
Console.WriteLine(await page.TextContentAsync("#flood-results li[data-mode='pool']"));

// The inline flood, shot once it has ended: both bands and both result lines are on the page.
await Task.Delay(TimeSpan.FromSeconds(5));
await page.ClickAsync("#flood-inline");
await page.WaitForSelectorAsync("#flood-results li[data-mode='inline']");
await Task.Delay(TimeSpan.FromSeconds(1));
await Shoot("demo-inline-flood.png");
Console.WriteLine(await page.TextContentAsync("#flood-results li[data-mode='inline']"));

async Task Shoot(string name)
{
    await page.ScreenshotAsync(new() { Path = Path.Combine(outputFolder, name) });
    Console.WriteLine($"{name}: load {LoadAverage()}, {Environment.ProcessorCount} cores");
}

static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
