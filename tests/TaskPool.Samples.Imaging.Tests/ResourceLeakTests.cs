using System.Diagnostics;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.Imaging.Tests;

[Collection(SerialCollection.Name)]
public class ResourceLeakTests
{
    [Fact]
    public void Generate_ThousandCalls_DoesNotGrowProcessMemory()
    {
        // Every call decodes into a 256 KB pixel buffer, plus smaller ones, all native: leaking any of them
        // would add at least 256 MB here. The GC would not help, since managed allocations stay small.
        byte[] input = TestImages.Photo(ThumbnailFormat.Png, 256, 256);
        var options = new ThumbnailOptions(32, 32, ThumbnailFormat.Png);
        for (int i = 0; i < 50; i++)
        {
            ThumbnailGenerator.Generate(input, options, ImageLimits.Default);
        }

        long before = ResidentBytes();
        for (int i = 0; i < 1000; i++)
        {
            ThumbnailGenerator.Generate(input, options, ImageLimits.Default);
        }

        long grown = ResidentBytes() - before;
        Assert.True(grown < 64 * 1024 * 1024, $"Resident memory grew by {grown / (1024 * 1024)} MB over 1000 calls.");
    }

    [Fact]
    public void Generate_ThousandRejectedCalls_DoesNotGrowProcessMemory()
    {
        // Failure paths dispose too: a truncated JPEG is rejected after its (scaled) decode buffer was allocated.
        byte[] input = TestImages.Truncated(TestImages.Photo(ThumbnailFormat.Jpeg, 512, 512));
        var options = new ThumbnailOptions(256, 256);
        for (int i = 0; i < 50; i++)
        {
            Assert.Throws<ImageRejectedException>(() => ThumbnailGenerator.Generate(input, options, ImageLimits.Default));
        }

        long before = ResidentBytes();
        for (int i = 0; i < 1000; i++)
        {
            Assert.Throws<ImageRejectedException>(() => ThumbnailGenerator.Generate(input, options, ImageLimits.Default));
        }

        long grown = ResidentBytes() - before;
        Assert.True(grown < 64 * 1024 * 1024, $"Resident memory grew by {grown / (1024 * 1024)} MB over 1000 rejected calls.");
    }

    private static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
