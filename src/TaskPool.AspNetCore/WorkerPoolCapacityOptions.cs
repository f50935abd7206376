using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TaskPool.AspNetCore;

/// <summary>
/// Settings of one <c>RequireWorkerPoolCapacity(Action&lt;WorkerPoolCapacityOptions&gt;)</c> endpoint filter: which pool, what
/// <c>Retry-After</c> to give, and how to take a request's fairness key.
/// </summary>
public sealed class WorkerPoolCapacityOptions
{
    /// <summary>The pool the endpoint runs its work on. Default <see cref="WorkerPoolDefaults.PoolName"/>; must not be empty or white space.</summary>
    public string PoolName { get; set; } = WorkerPoolDefaults.PoolName;

    /// <summary>
    /// What to tell clients in <c>Retry-After</c>, rounded up to whole seconds (at least 1); 0 to 1 day.
    /// Default <see cref="WorkerPoolEndpointConventionBuilderExtensions.DefaultRetryAfter"/>.
    /// </summary>
    public TimeSpan RetryAfter { get; set; } = WorkerPoolEndpointConventionBuilderExtensions.DefaultRetryAfter;

    /// <summary>
    /// Takes the request's fairness key (<see cref="JobOptions.FairnessKey"/>: a tenant, a user, a client address) from the request, before
    /// the handler runs; <see langword="null"/> (the default) takes none. The handler reads it with
    /// <see cref="WorkerPoolHttpContextExtensions.GetWorkerPoolFairnessKey"/> and passes it in <see cref="JobOptions"/>:
    /// <code>
    /// await pool.RunAsync(state, work, new JobOptions { FairnessKey = httpContext.GetWorkerPoolFairnessKey() }, httpContext.RequestAborted);
    /// </code>
    /// The selector runs once per request on the request's thread; a <see langword="null"/> key leaves the request's jobs unkeyed.
    /// When the key already has <see cref="WorkerPoolOptions.MaxQueuedPerKey"/> jobs queued (in <see cref="QueueFullMode.Reject"/> mode),
    /// the request is answered <c>503</c> with <c>Retry-After</c> and a ProblemDetails body that names the key in <c>fairnessKey</c>,
    /// while requests with other keys are still served. The key goes back to the client it was taken from, and into the pool's
    /// exception messages: derive it from an identity (a user or tenant id, an address), never use a secret such as an API key or a
    /// bearer token as the key itself.
    /// </summary>
    public Func<HttpContext, string?>? FairnessKeySelector { get; set; }
}
