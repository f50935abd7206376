using TaskPool.AspNetCore;

namespace TaskPool.Samples.WebApi.Endpoints;

/// <summary><c>GET /ping</c> (never touches a pool) and <c>GET /stats</c> (every pool's <see cref="WorkerPoolStats"/>, keyed by pool name).</summary>
internal static class StatsEndpoints
{
    public static IEndpointRouteBuilder MapStatsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/ping", static () => "pong");
        endpoints.MapGet("/stats", static (IWorkerPoolProvider pools) =>
        {
            var stats = new Dictionary<string, WorkerPoolStats>(StringComparer.Ordinal);
            foreach (string name in pools.PoolNames)
            {
                stats[name] = pools.GetPool(name).GetStats();
            }

            return TypedResults.Ok(stats);
        });
        return endpoints;
    }
}
