// TaskPool shared memory: every worker of a WorkerPool reads one large pinned SharedBuffer in place (no copies) to build a
// byte histogram, signals completion through a countdown cell with Atomics.Wait/Notify, and an OwnedBuffer moves into a
// job and back without being copied.
//
//   dotnet run -c Release --project samples/SharedMemory                  # 512 MiB
//   dotnet run -c Release --project samples/SharedMemory -- --size-mib 64
using System.Diagnostics;
using TaskPool;

const int DefaultSizeMiB = 512;
const int MaxSizeMiB = 2047; // a SharedBuffer<byte> holds at most int.MaxValue bytes

if (!TryParseSizeMiB(args, out int sizeMiB))
{
    Console.Error.WriteLine($"usage: SharedMemory [--size-mib N]   (1 to {MaxSizeMiB}, default {DefaultSizeMiB})");
    return 2;
}

int size = sizeMiB * 1024 * 1024;
await using var pool = new WorkerPool(new WorkerPoolOptions { Name = "shared-memory", WorkerCount = Environment.ProcessorCount });
Console.WriteLine($"WorkerPool '{pool.Name}': {pool.WorkerCount} worker thread(s); data: {sizeMiB} MiB.");

// ---- 1. One pinned buffer shared by every job ----
using var data = new SharedBuffer<byte>(size);
new Random(20_260_101).NextBytes(data.Span); // deterministic contents
using var histogram = new SharedBuffer<long>(256);  // the shared result: jobs add their partial counts with Atomics.Add
using var countdown = new SharedBuffer<int>(1);     // cell 0: jobs still running

int jobs = pool.WorkerCount;
int chunk = (size + jobs - 1) / jobs;
Atomics.Store(countdown, 0, jobs);
var stopwatch = Stopwatch.StartNew();
var results = new ValueTask<long>[jobs];
for (int j = 0; j < jobs; j++)
{
    int start = Math.Min(j * chunk, size);
    var job = new HistogramJob(data, histogram, countdown, start, Math.Min(chunk, size - start));
    results[j] = pool.RunAsync(job, static (job, ct) => job.Run()); // a static lambda plus a struct state: no closure per job
}

// Sleep on the countdown cell until the last job notifies it. This runs on the main thread (no await has happened yet),
// never on a ThreadPool thread: Atomics.Wait blocks the calling thread.
int remaining;
while ((remaining = Atomics.Load(countdown, 0)) != 0)
{
    Atomics.Wait(countdown, 0, remaining, Timeout.InfiniteTimeSpan); // NotEqual if it moved meanwhile: just re-read
}

TimeSpan parallelTime = stopwatch.Elapsed;
long counted = 0;
foreach (ValueTask<long> result in results)
{
    counted += await result; // completed already; surfaces a job's exception, if any
}

stopwatch.Restart();
long[] expected = new long[256];
foreach (byte b in data.Span)
{
    expected[b]++;
}

TimeSpan serialTime = stopwatch.Elapsed;
bool histogramOk = counted == size && histogram.Span.SequenceEqual(expected);
Console.WriteLine($"Histogram of {size:N0} bytes: {jobs} job(s) in {parallelTime.TotalMilliseconds:F0} ms, single thread in {serialTime.TotalMilliseconds:F0} ms; " +
    $"{(histogramOk ? "identical" : "DIFFERENT")} (most frequent byte 0x{histogram.Span.IndexOf(Max(histogram.Span)):X2}).");

// ---- 2. An OwnedBuffer moved into a job and back, never copied ----
int ownedSize = Math.Max(1, size / 4);
OwnedBuffer<byte> owner = OwnedBuffer<byte>.Rent(ownedSize);
owner.Span.Fill(0x11);
OwnedBuffer<byte> sent = owner.Transfer();   // ownership leaves this code...
Console.WriteLine($"Moved {ownedSize:N0} bytes into a job: the old handle is detached ({owner.IsDetached}), its Length is {owner.Length}.");

owner = await pool.RunAsync(sent, static (buffer, ct) =>
{
    foreach (ref byte b in buffer.Span)
    {
        b ^= 0xFF; // the job works on the memory in place
    }

    return buffer.Transfer(); // ...and comes back: the job gives up its handle
});

bool ownedOk = owner.Span.IndexOfAnyExcept((byte)0xEE) < 0;
try
{
    _ = sent.Span; // the job's handle is stale now
    ownedOk = false;
}
catch (ObjectDisposedException ex)
{
    Console.WriteLine($"Back from the job, changed in place: {(ownedOk ? "yes" : "NO")}. A stale handle throws: \"{ex.Message.Split('\n')[0]}\"");
}

owner.Dispose(); // returns the rented array to the pool, once

await pool.ShutdownAsync();
return histogramOk && ownedOk ? 0 : 1;

static long Max(ReadOnlySpan<long> values)
{
    long max = long.MinValue;
    foreach (long value in values)
    {
        max = Math.Max(max, value);
    }

    return max;
}

static bool TryParseSizeMiB(string[] args, out int sizeMiB)
{
    sizeMiB = DefaultSizeMiB;
    for (int i = 0; i < args.Length; i++)
    {
        if (args[i] == "--size-mib" && i + 1 < args.Length && int.TryParse(args[i + 1], out sizeMiB) && sizeMiB is >= 1 and <= MaxSizeMiB)
        {
            i++;
            continue;
        }

        return false;
    }

    return true;
}

/// <summary>One job's share: counts the bytes of [Start, Start + Length) of the shared data into the shared histogram.</summary>
internal readonly record struct HistogramJob(SharedBuffer<byte> Data, SharedBuffer<long> Histogram, SharedBuffer<int> Countdown, int Start, int Length)
{
    public long Run()
    {
        try
        {
            Span<long> local = stackalloc long[256]; // count privately, publish 256 atomic adds at the end: no contention per byte
            local.Clear();
            foreach (byte b in Data.Span.Slice(Start, Length)) // reads the shared memory in place
            {
                local[b]++;
            }

            for (int bin = 0; bin < 256; bin++)
            {
                if (local[bin] != 0)
                {
                    Atomics.Add(Histogram, bin, local[bin]);
                }
            }

            return Length;
        }
        finally
        {
            // The last job to finish wakes the waiting thread. Add is a full fence, so the histogram adds above are visible
            // to whoever sees the countdown reach 0.
            if (Atomics.Add(Countdown, 0, -1) == 0)
            {
                Atomics.Notify(Countdown, 0);
            }
        }
    }
}
