namespace TaskPool;

/// <summary>The outcome of <see cref="Atomics.Wait(SharedBuffer{int}, int, int, TimeSpan)"/>.</summary>
public enum AtomicsWaitResult
{
    /// <summary>The thread slept and was woken by <see cref="Atomics.Notify(SharedBuffer{int}, int, int)"/>.</summary>
    Ok,

    /// <summary>The cell did not hold the expected value, so the thread did not sleep.</summary>
    NotEqual,

    /// <summary>The cell held the expected value and no notification came before the timeout elapsed.</summary>
    TimedOut,
}
