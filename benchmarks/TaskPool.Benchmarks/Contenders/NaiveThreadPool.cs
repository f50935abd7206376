using System.Collections.Concurrent;

namespace TaskPool.Benchmarks.Contenders;

/// <summary>
/// What people write by hand: dedicated threads over a <see cref="BlockingCollection{T}"/>, a closure and a
/// <see cref="TaskCompletionSource{TResult}"/> per job. The contender TaskPool must beat to be worth a dependency.
/// </summary>
public sealed class NaiveThreadPool : IDisposable
{
    private readonly BlockingCollection<Action> _queue;
    private readonly Thread[] _threads;

    public NaiveThreadPool(int threads, int capacity)
    {
        _queue = new BlockingCollection<Action>(capacity);
        _threads = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(() =>
            {
                foreach (Action job in _queue.GetConsumingEnumerable())
                {
                    job();
                }
            })
            { IsBackground = true, Name = $"naive worker {i}" };
            _threads[i].Start();
        }
    }

    public Task<T> Run<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
        {
            try
            {
                completion.SetResult(work());
            }
            catch (Exception exception)
            {
                completion.SetException(exception);
            }
        });
        return completion.Task;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        _queue.Dispose();
    }
}
