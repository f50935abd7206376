using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace TaskPool.LatencyHarness;

/// <summary>
/// Splits a serial round trip (submit an empty job, await it, repeat at once) into submit→start (the hand-off to the worker) and
/// start→resume (the hand-off of the continuation back to the ThreadPool), for WorkerPool with and without spinning, a naive
/// BlockingCollection pool and Task.Run. Two rounds, bounded in count; prints medians and p90 in µs.
/// </summary>
internal static class SerialBreakdown
{
    public static async Task RunAsync(int count)
    {
        int cores = Environment.ProcessorCount;
        using var spinning = new WorkerPoolContender(cores);
        using var notSpinning = new WorkerPoolContender(cores, spin: false);
        using var naive = new NaiveContender(cores);
        var taskRun = new TaskRunContender();
        Contender[] contenders = [spinning, notSpinning, naive, taskRun];
        for (int round = 1; round <= 2; round++)
        {
            foreach (Contender contender in contenders)
            {
                long[] toStart = new long[count];
                long[] toResume = new long[count];
                var clock = Stopwatch.StartNew();
                await Task.Run(async () =>
                {
                    for (int i = 0; i < count; i++)
                    {
                        long submitted = Stopwatch.GetTimestamp();
                        long started = await contender.ProbeAsync();
                        long resumed = Stopwatch.GetTimestamp();
                        toStart[i] = started - submitted;
                        toResume[i] = resumed - started;
                    }
                });
                clock.Stop();
                Array.Sort(toStart);
                Array.Sort(toResume);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"round {round}  {contender.Name,-40} {clock.Elapsed.TotalMicroseconds / count,7:0.00} µs/job | submit→start p50 {Micros(toStart[count / 2]),6:0.00} p90 {Micros(toStart[count * 9 / 10]),6:0.00} | start→resume p50 {Micros(toResume[count / 2]),6:0.00} p90 {Micros(toResume[count * 9 / 10]),6:0.00} | load {File.ReadAllText("/proc/loadavg")[..14]}"));
            }
        }
    }

    private static double Micros(long ticks) => ticks * 1e6 / Stopwatch.Frequency;

    /// <summary>Dedicated threads over a BlockingCollection with a TaskCompletionSource per job: what people write by hand.</summary>
    private sealed class NaiveContender : Contender
    {
        private readonly BlockingCollection<TaskCompletionSource<long>> _queue = new(4096);

        public NaiveContender(int threads)
        {
            for (int i = 0; i < threads; i++)
            {
                new Thread(() =>
                {
                    foreach (TaskCompletionSource<long> job in _queue.GetConsumingEnumerable())
                    {
                        job.SetResult(Stopwatch.GetTimestamp());
                    }
                })
                { IsBackground = true, Name = $"naive {i}" }.Start();
            }
        }

        public override string Name => "Naive BlockingCollection pool";

        public override ValueTask<long> ProbeAsync()
        {
            var job = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            _queue.Add(job);
            return new ValueTask<long>(job.Task);
        }

        public override ValueTask<long> LoadAsync(int steps) => throw new NotSupportedException();

        public override void Dispose() => _queue.CompleteAdding();
    }
}
