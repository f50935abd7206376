namespace TaskPool.Samples.WebApi.Hashing;

/// <summary>Where <see cref="Pbkdf2PasswordHasher"/> runs PBKDF2. One server binary serves every mode, for the load harness's comparison.</summary>
public enum HashingMode
{
    /// <summary>On the default <see cref="WorkerPool"/>: the request thread awaits, the ThreadPool stays free for other requests.</summary>
    Pool,

    /// <summary>Directly on the request's thread (a ThreadPool thread), blocking it for the whole derivation.</summary>
    Inline,

    /// <summary>Through <see cref="Task.Run(Action)"/>: on another ThreadPool thread, which is the same pool that serves requests.</summary>
    ThreadPool,
}
