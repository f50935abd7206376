using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// Named places in the pool's lock-free protocols where another thread's step can change the outcome: the parking hand-shake,
/// the spinner hand-off, an item's lifecycle and holds, the watchdog's pin. In a shipping build every call compiles away
/// (<see cref="ConditionalAttribute"/>) and <see cref="OnReached"/> has no body. The interleaving tests compile these sources with
/// <c>TASKPOOL_SCHEDULE_POINTS</c> and an implementation of <see cref="OnReached"/> that pauses, yields or sleeps the thread that
/// reached the point, which forces on two cores the orders that many cores produce by chance.
/// </summary>
internal static partial class SchedulePoint
{
    /// <summary>The current thread reached <paramref name="name"/>.</summary>
    [Conditional("TASKPOOL_SCHEDULE_POINTS")]
    internal static void Reach(string name) => OnReached(name);

    static partial void OnReached(string name);
}
