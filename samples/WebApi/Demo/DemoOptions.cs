namespace TaskPool.Samples.WebApi.Demo;

/// <summary>
/// Settings of the page's flood demo (<c>POST /demo/flood</c>), bound from the <c>Demo</c> configuration section. The demo makes the server
/// burn its own CPU on request, so it is on in Development (appsettings.Development.json) and off everywhere else.
/// </summary>
public sealed class DemoOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Demo";

    /// <summary>The longest flood any setting may allow, in seconds.</summary>
    public const int HardMaxSeconds = 30;

    /// <summary>The most concurrent flood clients any setting may allow: 4 per core.</summary>
    public static int HardMaxConcurrency => 4 * Environment.ProcessorCount;

    /// <summary>Whether <c>/demo/flood</c> exists at all: when false it is not mapped (404). Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>The longest flood a caller may ask for, 1 to <see cref="HardMaxSeconds"/>. Default <see cref="HardMaxSeconds"/>.</summary>
    public int MaxSeconds { get; set; } = HardMaxSeconds;

    /// <summary>The most concurrent clients a caller may ask for, 1 to <see cref="HardMaxConcurrency"/>. Default <see cref="HardMaxConcurrency"/>.</summary>
    public int MaxConcurrency { get; set; } = HardMaxConcurrency;
}
