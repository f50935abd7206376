using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TaskPool.Samples.WebApi.Signing;

namespace TaskPool.Samples.WebApi.Endpoints;

/// <summary>
/// <c>POST /sign</c>: the raw body's HMAC-SHA256 under the server's key, computed on the default pool by a worker-local
/// <see cref="System.Security.Cryptography.IncrementalHash"/> (<see cref="HmacSigner"/>); keyed by the client like <c>/hash</c>.
/// </summary>
internal static class SignEndpoints
{
    /// <summary>The largest body signed; a larger one gets 413.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapSignEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/sign", SignAsync)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .RequireWorkerPoolCapacity(static o => o.FairnessKeySelector = ClientIdentity.FairnessKey)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    private static async Task<Results<Ok<SignResponse>, ProblemHttpResult>> SignAsync(HttpContext context, HmacSigner signer)
    {
        byte[]? body = await ReadBodyAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                detail: $"The body is larger than {MaxBodyBytes} bytes.");
        }

        string signature = await signer.SignAsync(body, context.GetWorkerPoolFairnessKey(), context.RequestAborted);
        return TypedResults.Ok(new SignResponse(HmacSigner.AlgorithmName, signature));
    }

    /// <summary>The whole body, or null when it is larger than <see cref="MaxBodyBytes"/> (refused unread when Content-Length says so).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is long declared)
        {
            if (declared > MaxBodyBytes)
            {
                return null;
            }

            byte[] exact = new byte[declared];
            await request.Body.ReadExactlyAsync(exact, cancellationToken);
            return exact;
        }

        using var chunked = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (chunked.Length + read > MaxBodyBytes)
            {
                return null;
            }

            chunked.Write(chunk, 0, read);
        }

        return chunked.ToArray();
    }
}
