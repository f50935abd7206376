using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace TaskPool.AspNetCore.Internal;

/// <summary>Turns a pool's refusal (saturated, shutting down, a job past its deadline) into <c>503</c> with <c>Retry-After</c> and a ProblemDetails body.</summary>
internal sealed class WorkerPoolCapacityFilter
{
    internal const string SaturatedTitle = "The server is busy.";
    internal const string ShuttingDownTitle = "The server is shutting down.";
    internal const string TimedOutTitle = "The job ran past its deadline.";

    private readonly string _poolName;
    private readonly string _retryAfter;
    private readonly IWorkerPoolProvider _provider;
    private readonly IOptionsMonitor<WorkerPoolOptions> _options;

    public WorkerPoolCapacityFilter(string poolName, int retryAfterSeconds, IWorkerPoolProvider provider, IOptionsMonitor<WorkerPoolOptions> options)
    {
        _poolName = poolName;
        _retryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
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

        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (WorkerPoolSaturatedException exception) when (!httpContext.Response.HasStarted)
        {
            return Saturated(httpContext, exception.Message);
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

    private IResult Unavailable(HttpContext httpContext, string title, string detail)
    {
        httpContext.Response.Headers.RetryAfter = _retryAfter;
        return TypedResults.Problem(
            detail: detail,
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: title,
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["pool"] = _poolName });
    }
}
