namespace TaskPool.Samples.WebApi.Endpoints;

/// <summary>
/// Who a request is for, as the pool's fairness key (<see cref="JobOptions.FairnessKey"/>): <c>client:{id}</c> from the
/// <c>X-Client-Id</c> header when it holds one usable id, else <c>ip:{address}</c> from the connection's remote address, else none
/// (the in-memory test server has no address). The prefixes keep the two apart, so that no client can claim another's address as its id.
/// </summary>
/// <remarks>
/// The header is the client's own word: a client that sends a new id with every request escapes its per-key limit (the queue's
/// capacity still bounds it). Behind authentication, key by the user or tenant instead; behind a reverse proxy, every client has the
/// proxy's address unless forwarded headers are honoured (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> and a proxy that sets
/// <c>X-Forwarded-For</c>).
/// </remarks>
internal static class ClientIdentity
{
    /// <summary>The header that names the client.</summary>
    public const string HeaderName = "X-Client-Id";

    /// <summary>The longest id taken from the header; a longer one is ignored (the address keys the request).</summary>
    public const int MaxIdLength = 64;

    /// <summary>The request's fairness key: a <see cref="TaskPool.AspNetCore.WorkerPoolCapacityOptions.FairnessKeySelector"/>.</summary>
    public static string? FairnessKey(HttpContext context)
    {
        if (context.Request.Headers[HeaderName] is { Count: 1 } values && values[0] is { } id && IsUsableId(id))
        {
            return "client:" + id;
        }

        return context.Connection.RemoteIpAddress is { } address
            ? "ip:" + (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : null;
    }

    /// <summary>1 to <see cref="MaxIdLength"/> visible ASCII characters: no spaces, no control characters.</summary>
    private static bool IsUsableId(string id)
        => id.Length is > 0 and <= MaxIdLength && !id.AsSpan().ContainsAnyExceptInRange('!', '~');
}
