using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace TaskPool.Samples.WebApi.Demo;

/// <summary>
/// <c>POST /demo/flood?mode=pool|inline|threadpool&amp;seconds=10&amp;concurrency=N</c> starts a flood of PBKDF2 hashes generated inside the
/// server (202, or 409 while one runs, 400 for a value out of range); <c>GET /demo/flood</c> shows the limits and the latest flood.
/// Mapped only when <see cref="DemoOptions.Enabled"/>: elsewhere both answer 404.
/// </summary>
internal static class DemoEndpoints
{
    public const string FloodPath = "/demo/flood";

    private const int DefaultSeconds = 10;

    public static IEndpointRouteBuilder MapDemoEndpoints(this IEndpointRouteBuilder endpoints)
    {
        if (!endpoints.ServiceProvider.GetRequiredService<IOptions<DemoOptions>>().Value.Enabled)
        {
            return endpoints; // not mapped: a deployed server cannot be told to burn its CPU
        }

        endpoints.MapPost(FloodPath, StartFlood)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        endpoints.MapGet(FloodPath, static (FloodRunner runner, IOptions<DemoOptions> options) => TypedResults.Ok(Overview(runner, options.Value)));
        return endpoints;
    }

    private static Results<Accepted<FloodStatus>, ValidationProblem, ProblemHttpResult> StartFlood(
        string? mode, int? seconds, int? concurrency, FloodRunner runner, IOptions<DemoOptions> options)
    {
        DemoOptions limits = options.Value;
        int floodSeconds = seconds ?? Math.Min(DefaultSeconds, limits.MaxSeconds);
        int floodConcurrency = concurrency ?? DefaultConcurrency(limits);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!FloodModes.TryParse(mode, out var floodMode))
        {
            errors["mode"] = [$"The mode must be {FloodModes.Expected}."];
        }

        if (floodSeconds < 1 || floodSeconds > limits.MaxSeconds)
        {
            errors["seconds"] = [$"The flood must last 1 to {limits.MaxSeconds} seconds (was {floodSeconds})."];
        }

        if (floodConcurrency < 1 || floodConcurrency > limits.MaxConcurrency)
        {
            errors["concurrency"] = [$"The concurrency must be 1 to {limits.MaxConcurrency} (was {floodConcurrency})."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return runner.TryStart(floodMode!.Value, floodSeconds, floodConcurrency, out Flood? flood) switch
        {
            FloodStartOutcome.Started => TypedResults.Accepted(FloodPath, flood!.ToStatus()),
            FloodStartOutcome.AlreadyRunning => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "A flood is already running.",
                detail: $"A {FloodModes.Name(flood!.Mode)} flood runs until {flood.StartedAt.AddSeconds(flood.Seconds):O}; one flood at a time."),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The server is shutting down."),
        };
    }

    private static FloodOverview Overview(FloodRunner runner, DemoOptions limits) => new(
        limits.MaxSeconds,
        limits.MaxConcurrency,
        Math.Min(DefaultSeconds, limits.MaxSeconds),
        DefaultConcurrency(limits),
        Environment.ProcessorCount,
        runner.Latest?.ToStatus());

    /// <summary>Two clients per core: more requests in flight than the ThreadPool starts with threads, as under real load.</summary>
    private static int DefaultConcurrency(DemoOptions limits) => Math.Min(2 * Environment.ProcessorCount, limits.MaxConcurrency);
}
