namespace TaskPool.Internal;

/// <summary>A job that returns nothing, run from a <typeparamref name="TState"/> with no closure and no boxing.</summary>
internal sealed class ActionWorkItem<TState> : WorkItem<VoidResult>
{
    private TState _jobState = default!;
    private Action<TState, CancellationToken>? _work;

    internal static ActionWorkItem<TState> Rent(TState state, Action<TState, CancellationToken> work)
    {
        ActionWorkItem<TState> item = ItemCache<ActionWorkItem<TState>>.Rent();
        item._jobState = state;
        item._work = work;
        return item;
    }

    protected override VoidResult Invoke(CancellationToken cancellationToken)
    {
        _work!(_jobState, cancellationToken);
        return default;
    }

    internal override string JobName => _work is { } work ? $"{work.Method.DeclaringType?.FullName}.{work.Method.Name}" : "(released)";

    protected override void ReleaseJobState(bool jobRan)
    {
        _jobState = default!;
        _work = null;
    }

    protected override void ReturnToPool() => ItemCache<ActionWorkItem<TState>>.Return(this);
}
