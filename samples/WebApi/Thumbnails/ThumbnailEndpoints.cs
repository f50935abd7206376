using Microsoft.Extensions.Options;
using TaskPool.Samples.Imaging;

namespace TaskPool.Samples.WebApi.Thumbnails;

/// <summary>
/// <c>POST /thumbnail?width=&amp;height=&amp;format=jpeg|png|webp&amp;fit=cover|contain&amp;quality=</c>, the image as the raw body or as the first
/// file of a multipart form: the SkiaSharp pipeline (samples/Imaging) on the "images" pool, the thumbnail bytes back with their Content-Type.
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
        ThumbnailResult result;
        try
        {
            // The pool owns the buffer from here on and returns it to the array pool exactly once, whatever happens to the job.
            result = await pool.RunAsync(body, (input, ct) => ThumbnailGenerator.Generate(input.Span, options, imageLimits, ct), aborted);
        }
        catch (ImageRejectedException exception)
        {
            return Rejected(exception);
        }

        return TypedResults.Bytes(result.Data, result.ContentType);
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
