using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace TaskPool.AspNetCore.Internal;

/// <summary>
/// Turns a pool's refusal (saturated, a fairness key over its limit, shutting down, a job past its deadline) into <c>503</c> with
/// <c>Retry-After</c> and a ProblemDetails body; takes the request's fairness key for the handler when it has a selector.
/// </summary>
internal sealed class WorkerPoolCapacityFilter
{
    internal const string SaturatedTitle = "The server is busy.";
    internal const string FairnessKeyLimitTitle = "Too many jobs are queued for this fairness key.";
    internal const string ShuttingDownTitle = "The server is shutting down.";
    internal const string TimedOutTitle = "The job ran past its deadline.";

    private readonly string _poolName;
    private readonly string _retryAfter;
    private readonly Func<HttpContext, string?>? _fairnessKeySelector;
    private readonly IWorkerPoolProvider _provider;
    private readonly IOptionsMonitor<WorkerPoolOptions> _options;

    public WorkerPoolCapacityFilter(
        string poolName,
        int retryAfterSeconds,
        Func<HttpContext, string?>? fairnessKeySelector,
        IWorkerPoolProvider provider,
        IOptionsMonitor<WorkerPoolOptions> options)
    {
        _poolName = poolName;
        _retryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        _fairnessKeySelector = fairnessKeySelector;
        _provider = provider;
        _options = options;
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext httpContext = context.HttpContext;
        if (_provider.IsShutdownRequested(_poolName))
        {
            return ShuttingDown(httpContext, $"Worker pool '{_poolName}' is shutting down and accepts no new jobs.");
        }

        if (IsFullInRejectMode())
        {
            return Saturated(httpContext, $"Worker pool '{_poolName}' is saturated: its queue is full.");
        }

        string? fairnessKey = null;
        if (_fairnessKeySelector is not null)
        {
            fairnessKey = _fairnessKeySelector(httpContext);
            httpContext.Features.Set(new WorkerPoolFairnessKeyFeature(fairnessKey));
        }

        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (WorkerPoolSaturatedException exception) when (!httpContext.Response.HasStarted)
        {
            return exception.FairnessKey is null
                ? Saturated(httpContext, exception.Message)
                : FairnessKeyOverLimit(httpContext, exception.FairnessKey, fairnessKey);
        }
        catch (WorkerPoolJobTimeoutException exception) when (!httpContext.Response.HasStarted)
        {
            return Unavailable(httpContext, TimedOutTitle, exception.Message);
        }
        catch (ObjectDisposedException exception) when (exception.ObjectName == nameof(WorkerPool) && !httpContext.Response.HasStarted)
        {
            return ShuttingDown(httpContext, exception.Message);
        }
        catch (OperationCanceledException) when (!httpContext.RequestAborted.IsCancellationRequested
            && !httpContext.Response.HasStarted
            && _provider.IsShutdownRequested(_poolName))
        {
            return ShuttingDown(httpContext, $"Worker pool '{_poolName}' shut down before this request's job could finish.");
        }
    }

    private bool IsFullInRejectMode()
    {
        if (_options.Get(_poolName).FullMode != QueueFullMode.Reject)
        {
            return false; // in Wait mode a full queue is backpressure: the request waits for a slot
        }

        WorkerPoolStats stats = _provider.GetPool(_poolName).GetStats();
        return stats.QueueDepth >= stats.QueueCapacity;
    }

    private IResult Saturated(HttpContext httpContext, string detail) => Unavailable(httpContext, SaturatedTitle, detail);

    private IResult ShuttingDown(HttpContext httpContext, string detail) => Unavailable(httpContext, ShuttingDownTitle, detail);

    /// <summary>
    /// A refusal by <see cref="WorkerPoolOptions.MaxQueuedPerKey"/>. The body names the key only when it is this request's own key (the one
    /// the selector took from it): a job the handler keyed otherwise (another tenant's key, say) is refused without naming that key.
    /// </summary>
    private IResult FairnessKeyOverLimit(HttpContext httpContext, string refusedKey, string? requestKey)
    {
        bool own = string.Equals(refusedKey, requestKey, StringComparison.Ordinal);
        string detail = own
            ? $"Worker pool '{_poolName}' already holds as many queued jobs for this request's fairness key as it allows (MaxQueuedPerKey); requests with other keys are still served."
            : $"Worker pool '{_poolName}' already holds as many queued jobs for a fairness key of this request's work as it allows (MaxQueuedPerKey).";
        return Unavailable(httpContext, FairnessKeyLimitTitle, detail, own ? refusedKey : null);
    }

    private IResult Unavailable(HttpContext httpContext, string title, string detail, string? fairnessKey = null)
    {
        httpContext.Response.Headers.RetryAfter = _retryAfter;
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["pool"] = _poolName };
        if (fairnessKey is not null)
        {
            extensions["fairnessKey"] = fairnessKey;
        }

        return TypedResults.Problem(
            detail: detail,
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: title,
            extensions: extensions);
    }
}
