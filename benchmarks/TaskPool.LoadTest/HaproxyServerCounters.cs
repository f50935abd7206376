namespace TaskPool.LoadTest;

/// <summary>One row of HAProxy's stats CSV (a server, or the backend's BACKEND row): check status and cumulative counters.</summary>
internal sealed record HaproxyServerCounters(string Status, long Responses2xx, long Responses5xx, long ConnectionErrors, long ResponseErrors, long CheckDowns);
