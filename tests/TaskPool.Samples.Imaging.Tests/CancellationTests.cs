using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.Imaging.Tests;

public class CancellationTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_CanceledToken_ThrowsBeforeDecoding(ThumbnailEngine engine)
    {
        byte[] input = TestImages.Photo(ThumbnailFormat.Jpeg, 400, 300);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var pixels = new CountingPixelAllocator();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            ThumbnailGenerator.Generate(input, new ThumbnailOptions(64, 64), ImageLimits.Default, engine, pixels, cts.Token));

        Assert.Equal(0, pixels.BytesAllocated);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Generate_TokenCanceledInsidePipeline_ThrowsOperationCanceled(int cancelAtAllocation)
    {
        // Skia: a PNG 800x600 to 64x64 allocates, in order: the decode buffer, two halvings, the resample target.
        // Canceling right after the Nth allocation proves the token is checked after each of those phases.
        byte[] input = TestImages.Photo(ThumbnailFormat.Png, 800, 600);
        using var cts = new CancellationTokenSource();
        var pixels = new CountingPixelAllocator(onAllocated: allocations =>
        {
            if (allocations == cancelAtAllocation)
            {
                cts.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() =>
            ThumbnailGenerator.Generate(input, new ThumbnailOptions(64, 64, ThumbnailFormat.Png), ImageLimits.Default, ThumbnailEngine.Skia, pixels, cts.Token));
        Assert.Equal(cancelAtAllocation, pixels.Allocations);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public void Generate_UncanceledToken_Completes(ThumbnailEngine engine)
    {
        byte[] input = TestImages.Photo(ThumbnailFormat.Webp, 400, 300);
        using var cts = new CancellationTokenSource();

        ThumbnailResult result = ThumbnailGenerator.Generate(input, new ThumbnailOptions(64, 64), ImageLimits.Default, engine, cts.Token);

        Assert.Equal(64, result.Width);
    }
}
