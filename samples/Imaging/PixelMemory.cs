using SkiaSharp;

namespace TaskPool.Samples.Imaging;

/// <summary>
/// Allocates every pixel buffer of the pipeline, and counts the bytes per thread so that tests can prove
/// that a decompression bomb is refused before any pixel buffer exists (Skia allocates pixels natively,
/// where <see cref="GC.GetAllocatedBytesForCurrentThread"/> cannot see them).
/// </summary>
internal static class PixelMemory
{
    [ThreadStatic]
    private static long t_bytesAllocated;

    [ThreadStatic]
    private static Action? t_allocationObserver;

    /// <summary>Pixel bytes allocated by the pipeline on the current thread since it started.</summary>
    public static long BytesAllocatedOnCurrentThread => t_bytesAllocated;

    /// <summary>
    /// Called after each allocation on the current thread; tests use it to cancel a token at a known point
    /// inside the pipeline. Null (the default) in production.
    /// </summary>
    public static Action? AllocationObserver
    {
        get => t_allocationObserver;
        set => t_allocationObserver = value;
    }

    /// <summary>Allocates a bitmap for <paramref name="info"/>; the caller disposes it.</summary>
    public static SKBitmap Allocate(SKImageInfo info)
    {
        var bitmap = new SKBitmap();
        if (!bitmap.TryAllocPixels(info))
        {
            bitmap.Dispose();
            throw new InsufficientMemoryException($"Could not allocate a {info.Width}x{info.Height} pixel buffer.");
        }

        t_bytesAllocated += info.BytesSize64;
        t_allocationObserver?.Invoke();
        return bitmap;
    }
}
