namespace TaskPool.Samples.WebApi.Demo;

/// <summary>A flood as <c>/demo/flood</c> shows it.</summary>
/// <param name="Mode"><c>pool</c>, <c>inline</c> or <c>threadpool</c>.</param>
/// <param name="Seconds">How long it was asked to run.</param>
/// <param name="Concurrency">Its number of clients, each with one request in flight.</param>
/// <param name="Iterations">PBKDF2 iterations per hash.</param>
/// <param name="Running">False once every client has finished its last hash.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="EndsAt">Its deadline.</param>
/// <param name="EndedAt">When its last client ended; absent while it runs.</param>
/// <param name="ElapsedSeconds">Seconds from its start to now, or to its end once it has ended (the server's clock, for rates).</param>
/// <param name="Hashes">Hashes completed so far.</param>
/// <param name="Rejected">Requests the pool refused because its queue was full (Reject mode).</param>
/// <param name="Faulted">Clients that ended on an unexpected exception.</param>
internal sealed record FloodStatus(
    string Mode,
    int Seconds,
    int Concurrency,
    int Iterations,
    bool Running,
    DateTimeOffset StartedAt,
    DateTimeOffset EndsAt,
    DateTimeOffset? EndedAt,
    double ElapsedSeconds,
    long Hashes,
    long Rejected,
    long Faulted);
