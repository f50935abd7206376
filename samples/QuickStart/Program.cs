// TaskPool quick start: hashes passwords on a dedicated pool while the ThreadPool stays free for other work.
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using TaskPool;

await using var pool = new WorkerPool(new WorkerPoolOptions { Name = "quickstart" });
Console.WriteLine($"WorkerPool '{pool.Name}': {pool.WorkerCount} dedicated worker thread(s), queue capacity {pool.QueueCapacity}.");

// 1. One job, awaited: a static lambda and a tuple state, so nothing is allocated per job.
byte[] salt = RandomNumberGenerator.GetBytes(16);
byte[] hash = await pool.RunAsync(
    (Password: "correct horse battery staple", Salt: salt),
    static (s, ct) => Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(s.Password), s.Salt, 100_000, HashAlgorithmName.SHA512, 64));
Console.WriteLine($"PBKDF2-SHA512 (100,000 iterations): {Convert.ToHexString(hash)[..32]}...");

// 2. Many jobs at once: the bounded queue pushes back on the producer when it is full.
var stopwatch = Stopwatch.StartNew();
var jobs = new List<Task<long>>();
for (int i = 0; i < 200; i++)
{
    jobs.Add(pool.RunAsync(i, static (n, ct) => CountPrimesBelow(20_000 + n)).AsTask());
}

long[] counts = await Task.WhenAll(jobs);
Console.WriteLine($"200 prime counts in {stopwatch.Elapsed.TotalMilliseconds:F0} ms; the last: {counts[^1]}.");

// 3. Cancellation: a job canceled before it starts never runs.
using (var cts = new CancellationTokenSource())
{
    cts.Cancel();
    try
    {
        await pool.RunAsync(static ct => CountPrimesBelow(1_000_000), cts.Token);
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine("A canceled job completed as canceled without running.");
    }
}

// 4. Live stats, cheap enough to poll.
WorkerPoolStats stats = pool.GetStats();
Console.WriteLine($"Stats: busy {stats.BusyWorkers}, idle {stats.IdleWorkers}, queued {stats.QueueDepth}, submitted {stats.Submitted}, completed {stats.Completed}, canceled {stats.Canceled}.");

await pool.ShutdownAsync();
Console.WriteLine("Shut down gracefully: every accepted job finished.");

static long CountPrimesBelow(int limit)
{
    long count = 0;
    for (int n = 2; n < limit; n++)
    {
        bool prime = true;
        for (int d = 2; d * d <= n; d++)
        {
            if (n % d == 0)
            {
                prime = false;
                break;
            }
        }

        count += prime ? 1 : 0;
    }

    return count;
}
