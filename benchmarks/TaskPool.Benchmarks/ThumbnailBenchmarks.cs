using BenchmarkDotNet.Attributes;
using TaskPool.Samples.Imaging;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Benchmarks;

/// <summary>
/// A heavy real job: a 12 MP (4000 × 3000) JPEG to a 320 px JPEG thumbnail with the Imaging sample's pipeline
/// (scaled decode, Lanczos-3 resize, encode), with each engine; a batch of 4 fanned out and awaited, per job.
/// </summary>
[MemoryDiagnoser]
public class ThumbnailBenchmarks
{
    private const int Jobs = 4;

    private static readonly ThumbnailOptions s_options = new(320, 320, ThumbnailFormat.Jpeg, fit: ThumbnailFit.Contain);

    private byte[] _jpeg = null!;

    /// <summary>The library that makes the thumbnails.</summary>
    [Params(ThumbnailEngine.Vips, ThumbnailEngine.Skia)]
    public ThumbnailEngine Engine { get; set; }
    private WorkerPool _pool = null!;

    [GlobalSetup]
    public void Setup()
    {
        _jpeg = TestImages.Photo(ThumbnailFormat.Jpeg, 4000, 3000);
        _pool = new WorkerPool(new WorkerPoolOptions { Name = "bench", WorkerCount = Environment.ProcessorCount });
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Jobs, Description = "Inline, one thread (no dispatch)")]
    public int Inline()
    {
        int bytes = 0;
        for (int i = 0; i < Jobs; i++)
        {
            bytes += Thumbnail(_jpeg, Engine);
        }

        return bytes;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "WorkerPool.RunAsync (WorkerCount = cores)")]
    public async Task<int> WorkerPoolRunAsync()
    {
        var results = new ValueTask<int>[Jobs];
        for (int i = 0; i < Jobs; i++)
        {
            results[i] = _pool.RunAsync((Jpeg: _jpeg, Engine), static (job, ct) => Thumbnail(job.Jpeg, job.Engine));
        }

        int bytes = 0;
        foreach (ValueTask<int> result in results)
        {
            bytes += await result;
        }

        return bytes;
    }

    [Benchmark(OperationsPerInvoke = Jobs, Description = "Task.Run")]
    public async Task<int> TaskRun()
    {
        var results = new Task<int>[Jobs];
        byte[] jpeg = _jpeg;
        ThumbnailEngine engine = Engine;
        for (int i = 0; i < Jobs; i++)
        {
            results[i] = Task.Run(() => Thumbnail(jpeg, engine));
        }

        return (await Task.WhenAll(results)).Sum();
    }

    private static int Thumbnail(byte[] jpeg, ThumbnailEngine engine) => ThumbnailGenerator.Generate(jpeg, s_options, ImageLimits.Default, engine).Data.Length;
}
