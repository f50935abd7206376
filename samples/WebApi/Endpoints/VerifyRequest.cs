namespace TaskPool.Samples.WebApi.Endpoints;

/// <summary>The body of <c>POST /verify</c>.</summary>
public sealed record VerifyRequest(string? Password, string? Hash);
