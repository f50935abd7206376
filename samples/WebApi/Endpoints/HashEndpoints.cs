using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TaskPool.Samples.WebApi.Hashing;

namespace TaskPool.Samples.WebApi.Endpoints;

/// <summary>
/// <c>POST /hash</c> and <c>POST /verify</c>: PBKDF2-HMAC-SHA512 on the default pool, 503 with Retry-After when it is saturated. Each job
/// is keyed by the client (<see cref="ClientIdentity"/>): the pool serves clients in turns, and a client that already has
/// <c>WorkerPool:MaxQueuedPerKey</c> jobs queued gets 503 while the others are still served.
/// </summary>
internal static class HashEndpoints
{
    /// <summary>A JSON body holds a password of at most 1 KiB and a hash of a few hundred bytes: anything much larger is refused with 413 unread.</summary>
    private const long MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapHashEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/hash", HashAsync)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .RequireWorkerPoolCapacity(static o => o.FairnessKeySelector = ClientIdentity.FairnessKey)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        endpoints.MapPost("/verify", VerifyAsync)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .RequireWorkerPoolCapacity(static o => o.FairnessKeySelector = ClientIdentity.FairnessKey)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    private static async Task<Results<Ok<HashResponse>, ValidationProblem>> HashAsync(HashRequest? request, Pbkdf2PasswordHasher hasher, HttpContext context)
    {
        if (PasswordRules.Check(request?.Password) is { } error)
        {
            return Invalid("password", error);
        }

        string hash = await hasher.HashAsync(request!.Password!, context.GetWorkerPoolFairnessKey(), context.RequestAborted);
        return TypedResults.Ok(new HashResponse(hash));
    }

    private static async Task<Results<Ok<PasswordVerification>, ValidationProblem>> VerifyAsync(VerifyRequest? request, Pbkdf2PasswordHasher hasher, HttpContext context)
    {
        if (PasswordRules.Check(request?.Password) is { } passwordError)
        {
            return Invalid("password", passwordError);
        }

        HashingOptions options = hasher.Options;
        if (!PasswordHash.TryParse(request!.Hash, options.MinIterations, options.MaxIterations, out PasswordHash? stored, out string? hashError))
        {
            return Invalid("hash", hashError);
        }

        return TypedResults.Ok(await hasher.VerifyAsync(request.Password!, stored, context.GetWorkerPoolFairnessKey(), context.RequestAborted));
    }

    private static ValidationProblem Invalid(string field, string error)
        => TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [error] });
}
