namespace TaskPool.Samples.WebApi.Demo;

/// <summary>What <see cref="FloodRunner.TryStart"/> did.</summary>
internal enum FloodStartOutcome
{
    /// <summary>The flood started.</summary>
    Started,

    /// <summary>Another flood is running: one at a time.</summary>
    AlreadyRunning,

    /// <summary>The server is shutting down.</summary>
    ServerStopping,
}
