using TaskPool.Interleavings.Tests;

namespace TaskPool.Internal;

/// <summary>The instrumented build's body of <see cref="SchedulePoint.OnReached"/>: hands every point to the installed driver.</summary>
internal static partial class SchedulePoint
{
    static partial void OnReached(string name) => Interleaving.OnReached(name);
}
