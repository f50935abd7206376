namespace TaskPool.Samples.WebApi.Demo;

/// <summary>The answer of <c>GET /demo/flood</c>: what a caller may ask for, and the latest flood.</summary>
/// <param name="MaxSeconds">The longest flood allowed (<c>Demo:MaxSeconds</c>).</param>
/// <param name="MaxConcurrency">The most clients allowed (<c>Demo:MaxConcurrency</c>).</param>
/// <param name="DefaultSeconds">The length of a flood that names none.</param>
/// <param name="DefaultConcurrency">The clients of a flood that names none.</param>
/// <param name="ProcessorCount">The cores this server sees.</param>
/// <param name="Flood">The running or latest flood; absent before the first.</param>
internal sealed record FloodOverview(
    int MaxSeconds,
    int MaxConcurrency,
    int DefaultSeconds,
    int DefaultConcurrency,
    int ProcessorCount,
    FloodStatus? Flood);
