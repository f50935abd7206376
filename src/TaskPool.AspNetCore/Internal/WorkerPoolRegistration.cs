namespace TaskPool.AspNetCore.Internal;

/// <summary>Marks one pool name as registered; the provider creates exactly the registered pools.</summary>
/// <param name="Name">The pool's name, also its options name and its metrics tag.</param>
/// <param name="ConfigurationPath">The configuration section the pool is bound to, or null when it is configured in code only.</param>
internal sealed record WorkerPoolRegistration(string Name, string? ConfigurationPath);
