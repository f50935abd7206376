namespace TaskPool.AspNetCore;

/// <summary>Names used by the ASP.NET Core integration when none is given.</summary>
public static class WorkerPoolDefaults
{
    /// <summary>The name of the pool registered without a name, and resolved as the unkeyed <see cref="WorkerPool"/> service: <c>"default"</c>.</summary>
    public const string PoolName = "default";

    /// <summary>The configuration section conventionally bound to the default pool: <c>"WorkerPool"</c> (environment variables <c>WorkerPool__WorkerCount</c> and so on).</summary>
    public const string ConfigurationSectionName = "WorkerPool";
}
