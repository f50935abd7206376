using System.Security.Cryptography;
using System.Threading.Tasks.Dataflow;
using BenchmarkDotNet.Attributes;

namespace TaskPool.Benchmarks;

/// <summary>
/// A real CPU-bound job: PBKDF2-SHA512 at 10,000 iterations (a few ms), a batch of 8 jobs (4 × cores on the 2-core reference machine) fanned out and awaited, per job.
/// Dispatch overhead is noise here: what shows is whether every contender keeps all cores busy.
/// </summary>
[MemoryDiagnoser]
public class Pbkdf2Benchmarks
{
    private const int Iterations = 10_000;

    private static readonly byte[] s_password = "correct horse battery staple"u8.ToArray();
    private static readonly byte[] s_salt = Convert.FromHexString("6a1f0c2e9b7d4e3a8c5f1b2d7e9a0c4f");

    private const int Jobs = 8;

    private WorkerPool _pool = null!;
    private ActionBlock<(int Index, TaskCompletionSource<byte[]> Completion)> _block = null!;

    [GlobalSetup]
    public void Setup()
    {
        int cores = Environment.ProcessorCount;
        _pool = new WorkerPool(new WorkerPoolOptions { Name = "bench", WorkerCount = cores });
        _block = new ActionBlock<(int Index, TaskCompletionSource<byte[]> Completion)>(
            static job => job.Completion.SetResult(Hash()),
            new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = cores, BoundedCapacity = 1024 });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pool.Dispose();
        _block.Complete();
        _block.Completion.Wait();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Jobs, Description = "Inline, one thread (no dispatch)")]
    public int Inline()
    {
        int sum = 0;
        for (int i = 0; i < Jobs; i++)
        {
            sum += Hash()[0];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "WorkerPool.RunAsync (WorkerCount = cores)")]
    public async Task<int> WorkerPoolRunAsync()
    {
        var results = new ValueTask<byte[]>[Jobs];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = _pool.RunAsync(0, static (_, ct) => Hash());
        }

        int sum = 0;
        foreach (ValueTask<byte[]> result in results)
        {
            sum += (await result)[0];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "Task.Run")]
    public async Task<int> TaskRun()
    {
        var results = new Task<byte[]>[Jobs];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = Task.Run(Hash);
        }

        int sum = 0;
        foreach (byte[] result in await Task.WhenAll(results))
        {
            sum += result[0];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "ActionBlock + TCS (MaxDegreeOfParallelism = cores)")]
    public async Task<int> ActionBlock()
    {
        var results = new Task<byte[]>[Jobs];
        for (int i = 0; i < results.Length; i++)
        {
            var completion = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            results[i] = completion.Task;
            await _block.SendAsync((i, completion));
        }

        int sum = 0;
        foreach (byte[] result in await Task.WhenAll(results))
        {
            sum += result[0];
        }

        return sum;
    }

    private static byte[] Hash() => Rfc2898DeriveBytes.Pbkdf2(s_password, s_salt, Iterations, HashAlgorithmName.SHA512, 64);
}
