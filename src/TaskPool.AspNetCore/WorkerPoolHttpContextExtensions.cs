using Microsoft.AspNetCore.Builder;
using TaskPool;
using TaskPool.AspNetCore;
using TaskPool.AspNetCore.Internal;

namespace Microsoft.AspNetCore.Http;

/// <summary>What the worker pool endpoint filter (<c>RequireWorkerPoolCapacity</c>) tells the handler about the request.</summary>
public static class WorkerPoolHttpContextExtensions
{
    /// <summary>
    /// The fairness key that the endpoint's <see cref="WorkerPoolCapacityOptions.FairnessKeySelector"/> took from this request, to pass
    /// in <see cref="JobOptions.FairnessKey"/>; <see langword="null"/> when the endpoint has no selector (or no
    /// <see cref="WorkerPoolEndpointConventionBuilderExtensions.RequireWorkerPoolCapacity{TBuilder}(TBuilder, Action{WorkerPoolCapacityOptions})"/>
    /// at all) or the selector returned <see langword="null"/>: the request's jobs are then unkeyed. When filters of a route group and of
    /// its endpoint both have a selector, the endpoint's (the inner one) wins.
    /// </summary>
    /// <param name="httpContext">The request.</param>
    /// <returns>The request's fairness key, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="httpContext"/> is null.</exception>
    public static string? GetWorkerPoolFairnessKey(this HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return httpContext.Features.Get<WorkerPoolFairnessKeyFeature>()?.FairnessKey;
    }
}
