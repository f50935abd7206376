namespace TaskPool.Samples.WebApi.Thumbnails;

/// <summary><c>POST /thumbnail</c>: the SkiaSharp pipeline on the "images" pool.</summary>
internal static class ThumbnailEndpoints
{
    /// <summary>The pool thumbnails run on.</summary>
    public const string PoolName = "images";

    public static IEndpointRouteBuilder MapThumbnailEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/thumbnail", static () => TypedResults.Problem(
                title: "Not implemented yet.",
                detail: "The thumbnail pipeline (samples/Imaging) has not been merged into this build yet.",
                statusCode: StatusCodes.Status501NotImplemented))
            .RequireWorkerPoolCapacity(PoolName);
        return endpoints;
    }
}
