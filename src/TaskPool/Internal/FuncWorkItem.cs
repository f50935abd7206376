namespace TaskPool.Internal;

/// <summary>A job that computes a <typeparamref name="TResult"/> from a <typeparamref name="TState"/>, with no closure and no boxing.</summary>
internal sealed class FuncWorkItem<TState, TResult> : WorkItem<TResult>
{
    private TState _jobState = default!;
    private Func<TState, CancellationToken, TResult>? _work;
    private Action<TState>? _discard;

    /// <summary>Rents an item for one job; <paramref name="discard"/>, if any, runs when the job will never run (canceled while queued, rejected, shut down).</summary>
    internal static FuncWorkItem<TState, TResult> Rent(TState state, Func<TState, CancellationToken, TResult> work, Action<TState>? discard = null)
    {
        FuncWorkItem<TState, TResult> item = ItemCache<FuncWorkItem<TState, TResult>>.Rent();
        item._jobState = state;
        item._work = work;
        item._discard = discard;
        return item;
    }

    protected override TResult Invoke(CancellationToken cancellationToken) => _work!(_jobState, cancellationToken);

    internal override string JobName => _work is { } work ? $"{work.Method.DeclaringType?.FullName}.{work.Method.Name}" : "(released)";

    protected override void ReleaseJobState(bool jobRan)
    {
        TState state = _jobState;
        Action<TState>? discard = _discard;
        _jobState = default!;
        _work = null;
        _discard = null;
        if (!jobRan)
        {
            discard?.Invoke(state);
        }
    }

    protected override void ReturnToPool() => ItemCache<FuncWorkItem<TState, TResult>>.Return(this);
}
