using SkiaSharp;

namespace TaskPool.Samples.Imaging.Tests;

/// <summary>
/// The pipeline's own allocator (<see cref="NativePixelAllocator"/>), counting what it allocates: Skia's pixel buffers are native,
/// invisible to <see cref="GC.GetAllocatedBytesForCurrentThread"/>. <paramref name="onAllocated"/> runs after each allocation, with
/// the count so far, to act at a known point inside the pipeline. Not thread-safe: one per test, on one thread.
/// </summary>
internal sealed class CountingPixelAllocator(Action<int>? onAllocated = null) : IPixelAllocator
{
    /// <summary>Pixel bytes allocated so far.</summary>
    public long BytesAllocated { get; private set; }

    /// <summary>Pixel buffers allocated so far.</summary>
    public int Allocations { get; private set; }

    public SKBitmap Allocate(SKImageInfo info)
    {
        SKBitmap bitmap = NativePixelAllocator.Shared.Allocate(info);
        BytesAllocated += info.BytesSize64;
        Allocations++;
        onAllocated?.Invoke(Allocations);
        return bitmap;
    }
}
