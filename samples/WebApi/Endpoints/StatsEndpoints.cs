using TaskPool.AspNetCore;
using TaskPool.Samples.WebApi.Thumbnails;

namespace TaskPool.Samples.WebApi.Endpoints;

/// <summary>
/// <c>GET /ping</c> (never touches a pool) and <c>GET /stats</c> (every pool's <see cref="WorkerPoolStats"/>, keyed by pool name, and with
/// <c>Thumbnails:Isolation=Process</c> the process lane's <see cref="ProcessLaneStats"/> under its own name).
/// </summary>
internal static class StatsEndpoints
{
    public static IEndpointRouteBuilder MapStatsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/ping", static () => "pong");
        endpoints.MapGet("/stats", static (IWorkerPoolProvider pools, IServiceProvider services) =>
        {
            var stats = new Dictionary<string, object>(StringComparer.Ordinal); // serialized by each value's runtime type
            foreach (string name in pools.PoolNames)
            {
                stats[name] = pools.GetPool(name).GetStats();
            }

            if (services.GetService<ThumbnailProcessLane>()?.StartedPool is { } processLane)
            {
                stats[ThumbnailProcessLane.PoolName] = ProcessLaneStats.From(processLane.GetStats());
            }

            return TypedResults.Ok(stats);
        });
        return endpoints;
    }
}
