namespace TaskPool.Samples.WebApi.Endpoints;

/// <summary>The answer of <c>POST /sign</c>: the algorithm and the signature as lowercase hex.</summary>
public sealed record SignResponse(string Algorithm, string Signature);
