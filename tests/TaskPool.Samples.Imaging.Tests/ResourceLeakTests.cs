using System.Diagnostics;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.Imaging.Tests;

[Collection(SerialCollection.Name)]
public class ResourceLeakTests
{
    // Leaking even one 256 KB buffer per call would add 100 MB, well over the 64 MB allowed for noise.
    private const int Calls = 400;

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_ManyCalls_DoesNotGrowProcessMemory(ThumbnailEngine engine)
    {
        // Every call decodes into a 256 KB pixel buffer (Skia) or image (libvips), plus smaller ones, all native.
        // The GC would not help, since managed allocations stay small.
        byte[] input = TestImages.Photo(ThumbnailFormat.Png, 256, 256);
        var options = new ThumbnailOptions(32, 32, ThumbnailFormat.Png);
        for (int i = 0; i < 50; i++)
        {
            ThumbnailGenerator.Generate(input, options, ImageLimits.Default, engine);
        }

        long before = ResidentBytes();
        for (int i = 0; i < Calls; i++)
        {
            ThumbnailGenerator.Generate(input, options, ImageLimits.Default, engine);
        }

        long grown = ResidentBytes() - before;
        Assert.True(grown < 64 * 1024 * 1024, $"Resident memory grew by {grown / (1024 * 1024)} MB over {Calls} calls.");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_ManyRejectedCalls_DoesNotGrowProcessMemory(ThumbnailEngine engine)
    {
        // Failure paths dispose too: a truncated JPEG is rejected after its (scaled) decode buffer or libvips pipeline was built.
        byte[] input = TestImages.Truncated(TestImages.Photo(ThumbnailFormat.Jpeg, 512, 512));
        var options = new ThumbnailOptions(256, 256);
        for (int i = 0; i < 50; i++)
        {
            Assert.Throws<ImageRejectedException>(() => ThumbnailGenerator.Generate(input, options, ImageLimits.Default, engine));
        }

        long before = ResidentBytes();
        for (int i = 0; i < Calls; i++)
        {
            Assert.Throws<ImageRejectedException>(() => ThumbnailGenerator.Generate(input, options, ImageLimits.Default, engine));
        }

        long grown = ResidentBytes() - before;
        Assert.True(grown < 64 * 1024 * 1024, $"Resident memory grew by {grown / (1024 * 1024)} MB over {Calls} rejected calls.");
    }

    private static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
