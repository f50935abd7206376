namespace TaskPool;

/// <summary>
/// How urgent a job is. A free worker takes the highest priority first; a job that waits longer than
/// <see cref="WorkerPoolOptions.PriorityAging"/> is served as if one level higher (see <see cref="WorkerPoolOptions.PriorityAging"/>
/// for the bound). The default is <see cref="Normal"/>.
/// </summary>
public enum JobPriority
{
    /// <summary>The default: plain jobs, served after <see cref="High"/> ones.</summary>
    Normal = 0,

    /// <summary>Served before <see cref="Normal"/> and <see cref="Low"/> jobs.</summary>
    High = 1,

    /// <summary>Served when no <see cref="High"/> or <see cref="Normal"/> job waits, or once it has aged.</summary>
    Low = -1,
}
