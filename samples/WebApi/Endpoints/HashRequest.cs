namespace TaskPool.Samples.WebApi.Endpoints;

/// <summary>The body of <c>POST /hash</c>.</summary>
public sealed record HashRequest(string? Password);
