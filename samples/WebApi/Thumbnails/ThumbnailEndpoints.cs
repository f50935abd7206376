using Microsoft.Extensions.Options;
using TaskPool.Isolation;
using TaskPool.Samples.Imaging;

namespace TaskPool.Samples.WebApi.Thumbnails;

/// <summary>
/// <c>POST /thumbnail?width=&amp;height=&amp;format=jpeg|png|webp&amp;fit=cover|contain&amp;quality=</c>, the image as the raw body or as the first
/// file of a multipart form: the imaging pipeline (samples/Imaging, engine <c>Thumbnails:Engine</c>) on the "images" pool, the thumbnail bytes back with their Content-Type.
/// With <c>Thumbnails:Isolation=Process</c> the same pipeline runs in the <see cref="ThumbnailProcessLane"/>'s child processes instead,
/// and a child that crashes or times out answers 503 with Retry-After.
/// </summary>
/// <remarks>
/// Thumbnails run on their own pool, not the default one: a decode holds up to <see cref="ThumbnailSettings.MaxRequestBytes"/> of input
/// and its pixels, so that pool has a small queue (8 by default, which bounds the memory held by waiting uploads) and cannot starve
/// password hashing, and each can be sized and watched on its own.
/// </remarks>
internal static class ThumbnailEndpoints
{
    /// <summary>The pool thumbnails run on.</summary>
    public const string PoolName = "images";

    /// <summary>The Retry-After, in seconds, of a 503 for a crashed or hung child: the pool replaces it at once.</summary>
    public const int RetryAfterSeconds = 1;

    public static IEndpointRouteBuilder MapThumbnailEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/thumbnail", ThumbnailAsync)
            .RequireWorkerPoolCapacity(PoolName)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    /// <summary>The HTTP status for each reason the pipeline refuses an input or its options.</summary>
    public static int ToStatusCode(ImageRejectionReason reason) => reason switch
    {
        ImageRejectionReason.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ImageRejectionReason.UnsupportedFormat => StatusCodes.Status415UnsupportedMediaType,
        _ => StatusCodes.Status400BadRequest, // Empty, NotAnImage, Truncated, TooManyPixels, BadDimensions, BadOptions
    };

    private static async Task<IResult> ThumbnailAsync(
        HttpContext context,
        [FromKeyedServices(PoolName)] WorkerPool pool,
        IOptions<ThumbnailSettings> settings,
        string? width,
        string? height,
        string? format,
        string? fit,
        string? quality)
    {
        CancellationToken aborted = context.RequestAborted;
        ThumbnailOptions options;
        try
        {
            options = ThumbnailOptions.Parse(width, height, format, quality, fit); // checked before a byte of the body is read
        }
        catch (ImageRejectedException exception)
        {
            return Rejected(exception);
        }

        ThumbnailSettings limits = settings.Value;
        OwnedBuffer<byte>? body;
        try
        {
            body = await RequestBody.ReadAsync(context, limits.MaxRequestBytes, aborted);
        }
        catch (BadHttpRequestException exception)
        {
            return TypedResults.Problem(title: "The request body could not be read.", detail: exception.Message, statusCode: exception.StatusCode);
        }

        if (body is null)
        {
            return TooLarge(limits.MaxRequestBytes);
        }

        var imageLimits = new ImageLimits(limits.MaxPixels, limits.MaxRequestBytes);
        if (limits.Isolation == ThumbnailIsolation.Process)
        {
            return await InChildProcessAsync(context, context.RequestServices.GetRequiredService<ThumbnailProcessLane>().Pool, body, options, imageLimits, limits.Engine, aborted);
        }

        ThumbnailResult result;
        try
        {
            // The pool owns the buffer from here on and returns it to the array pool exactly once, whatever happens to the job.
            result = await pool.RunAsync(
                body,
                (Options: options, Limits: imageLimits, limits.Engine),
                static (input, job, ct) => ThumbnailGenerator.Generate(input.Span, job.Options, job.Limits, job.Engine, ct),
                aborted);
        }
        catch (ImageRejectedException exception)
        {
            return Rejected(exception);
        }

        return TypedResults.Bytes(result.Data, result.ContentType);
    }

    /// <summary>The process lane: the same pipeline in a child process; a child that dies or hangs costs this request a 503, never a 500.</summary>
    private static async Task<IResult> InChildProcessAsync(
        HttpContext context,
        ProcessPool pool,
        OwnedBuffer<byte> body,
        ThumbnailOptions options,
        ImageLimits imageLimits,
        ThumbnailEngine engine,
        CancellationToken aborted)
    {
        byte[] input;
        using (body)
        {
            input = ThumbnailJob.EncodeInput(body.Span, options, imageLimits, engine);
        }

        try
        {
            byte[] thumbnail = await pool.RunAsync(ThumbnailJob.JobName, input, aborted);
            return TypedResults.Bytes(thumbnail, options.Format.GetContentType());
        }
        catch (RemoteJobException exception) when (ThumbnailJob.TryGetRejection(exception.RemoteType, exception.RemoteMessage, out ImageRejectedException? rejection))
        {
            return Rejected(rejection);
        }
        catch (WorkerProcessCrashedException exception)
        {
            string how = exception.Signal is { } signal ? $"signal {signal}" : exception.ExitCode is { } code ? $"exit code {code}" : exception.Reason;
            return Unavailable(context, "The thumbnail worker process crashed.", $"worker process crashed: {how}");
        }
        catch (TimeoutException exception)
        {
            return Unavailable(context, "The thumbnail worker process timed out.", exception.Message);
        }
    }

    private static IResult Unavailable(HttpContext context, string title, string detail)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(title: title, detail: $"{detail}. Try again.", statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static IResult Rejected(ImageRejectedException exception)
        => TypedResults.Problem(
            title: "The image was refused.",
            detail: exception.Message,
            statusCode: ToStatusCode(exception.Reason),
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["reason"] = exception.Reason.ToString() });

    private static IResult TooLarge(long maxBytes)
        => TypedResults.Problem(
            title: "The image was refused.",
            detail: $"The upload is larger than the limit of {maxBytes} bytes.",
            statusCode: StatusCodes.Status413PayloadTooLarge,
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["reason"] = nameof(ImageRejectionReason.TooLarge) });
}
