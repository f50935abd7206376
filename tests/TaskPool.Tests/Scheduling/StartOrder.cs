using System.Collections.Concurrent;

namespace TaskPool.Tests.Scheduling;

/// <summary>Records the order in which jobs start, by label.</summary>
internal sealed class StartOrder
{
    private readonly ConcurrentQueue<string> _labels = new();

    public IReadOnlyList<string> Labels => [.. _labels];

    public static string Record((StartOrder Order, string Label) state, CancellationToken cancellationToken)
    {
        state.Order._labels.Enqueue(state.Label);
        return state.Label;
    }
}
