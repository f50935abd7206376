namespace TaskPool.Samples.WebApi.Endpoints;

/// <summary>The answer of <c>POST /hash</c>: the self-describing hash string.</summary>
public sealed record HashResponse(string Hash);
