using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaskPool;
using TaskPool.AspNetCore;
using TaskPool.AspNetCore.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Endpoint conventions for endpoints that run work on a <see cref="WorkerPool"/>.</summary>
public static class WorkerPoolEndpointConventionBuilderExtensions
{
    /// <summary>The <c>Retry-After</c> given when none is: one second.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan s_maxRetryAfter = TimeSpan.FromDays(1);

    /// <summary>
    /// Answers <c>503 Service Unavailable</c> with a <c>Retry-After</c> header and a ProblemDetails body, instead of an error or a hung request,
    /// when the endpoint cannot get capacity from the pool named <paramref name="poolName"/>:
    /// <list type="bullet">
    /// <item>the handler throws <see cref="WorkerPoolSaturatedException"/> (in <see cref="QueueFullMode.Reject"/> mode: the pool's queue is full,
    /// or the job's fairness key already has <see cref="WorkerPoolOptions.MaxQueuedPerKey"/> jobs queued; to take the key from the request,
    /// see <see cref="RequireWorkerPoolCapacity{TBuilder}(TBuilder, Action{WorkerPoolCapacityOptions})"/>);</item>
    /// <item>the handler throws <see cref="WorkerPoolJobTimeoutException"/> (a job ran past its deadline, under load most often: a plain
    /// <see cref="TimeoutException"/> from elsewhere passes through);</item>
    /// <item>the handler throws the <see cref="ObjectDisposedException"/> of a pool that is shutting down;</item>
    /// <item>the handler throws <see cref="OperationCanceledException"/> while the client is still connected and the pool's shutdown began
    /// (a forced shutdown canceled the queued job): the request is answered, not dropped;</item>
    /// <item>before the handler runs, when the pool is in <see cref="QueueFullMode.Reject"/> mode and its queue is full already, or its shutdown
    /// began (then the request body is not even read).</item>
    /// </list>
    /// Other exceptions pass through unchanged, and so does a cancellation by the client (<see cref="HttpContext.RequestAborted"/>).
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint convention builder's type.</typeparam>
    /// <param name="builder">The endpoint, or group of endpoints (a minimal API route handler or route group).</param>
    /// <param name="poolName">The pool the endpoint runs its work on. Default <see cref="WorkerPoolDefaults.PoolName"/>.</param>
    /// <param name="retryAfter">What to tell clients in <c>Retry-After</c>, rounded up to whole seconds (at least 1). Default <see cref="DefaultRetryAfter"/>.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="poolName"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retryAfter"/> is negative or above one day.</exception>
    public static TBuilder RequireWorkerPoolCapacity<TBuilder>(this TBuilder builder, string poolName = WorkerPoolDefaults.PoolName, TimeSpan? retryAfter = null)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(poolName);
        TimeSpan delay = retryAfter ?? DefaultRetryAfter;
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(retryAfter));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(delay, s_maxRetryAfter, nameof(retryAfter));

        return AddFilter(builder, poolName, delay, fairnessKeySelector: null);
    }

    /// <summary>
    /// The filter of <see cref="RequireWorkerPoolCapacity{TBuilder}(TBuilder, string, TimeSpan?)"/>, configured by an options object:
    /// besides the pool and the <c>Retry-After</c>, a <see cref="WorkerPoolCapacityOptions.FairnessKeySelector"/> that takes each
    /// request's fairness key (<see cref="JobOptions.FairnessKey"/>) from the request. The handler reads the key with
    /// <see cref="WorkerPoolHttpContextExtensions.GetWorkerPoolFairnessKey"/> and passes it in <see cref="JobOptions"/>; a job refused
    /// because its key already has <see cref="WorkerPoolOptions.MaxQueuedPerKey"/> jobs queued answers <c>503</c> with <c>Retry-After</c>
    /// and a ProblemDetails body that names the key (<c>fairnessKey</c>), while requests with other keys are still served.
    /// <code>
    /// app.MapPost("/hash", async (HashRequest request, WorkerPool pool, HttpContext context) =>
    ///         await pool.RunAsync(request, Hash, new JobOptions { FairnessKey = context.GetWorkerPoolFairnessKey() }, context.RequestAborted))
    ///    .RequireWorkerPoolCapacity(o => o.FairnessKeySelector = static context => context.User.Identity?.Name);
    /// </code>
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint convention builder's type.</typeparam>
    /// <param name="builder">The endpoint, or group of endpoints (a minimal API route handler or route group).</param>
    /// <param name="configure">Sets the filter's options; it runs once, here.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="ArgumentException"><see cref="WorkerPoolCapacityOptions.PoolName"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="WorkerPoolCapacityOptions.RetryAfter"/> is negative or above one day.</exception>
    public static TBuilder RequireWorkerPoolCapacity<TBuilder>(this TBuilder builder, Action<WorkerPoolCapacityOptions> configure)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new WorkerPoolCapacityOptions();
        configure(options);
        if (string.IsNullOrWhiteSpace(options.PoolName))
        {
            throw new ArgumentException("WorkerPoolCapacityOptions.PoolName must not be empty.", nameof(WorkerPoolCapacityOptions.PoolName));
        }

        if (options.RetryAfter < TimeSpan.Zero || options.RetryAfter > s_maxRetryAfter)
        {
            throw new ArgumentOutOfRangeException(nameof(WorkerPoolCapacityOptions.RetryAfter), options.RetryAfter, "WorkerPoolCapacityOptions.RetryAfter must be between 0 and 1 day.");
        }

        return AddFilter(builder, options.PoolName, options.RetryAfter, options.FairnessKeySelector);
    }

    private static TBuilder AddFilter<TBuilder>(TBuilder builder, string poolName, TimeSpan retryAfter, Func<HttpContext, string?>? fairnessKeySelector)
        where TBuilder : IEndpointConventionBuilder
    {
        int retryAfterSeconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        builder.AddEndpointFilterFactory((context, next) =>
        {
            IServiceProvider services = context.ApplicationServices;
            var filter = new WorkerPoolCapacityFilter(
                poolName,
                retryAfterSeconds,
                fairnessKeySelector,
                services.GetRequiredService<IWorkerPoolProvider>(),
                services.GetRequiredService<IOptionsMonitor<WorkerPoolOptions>>());
            return invocationContext => filter.InvokeAsync(invocationContext, next);
        });
        return builder;
    }
}
