using SkiaSharp;

namespace TaskPool.Samples.Imaging;

/// <summary>
/// Allocates every pixel buffer of the Skia engine (the decode target, each halving, the resample target, the upright output).
/// <see cref="NativePixelAllocator.Shared"/> in production; passed in, so that a caller can count or observe the allocations
/// (Skia allocates pixels natively, where <see cref="GC.GetAllocatedBytesForCurrentThread"/> cannot see them).
/// </summary>
internal interface IPixelAllocator
{
    /// <summary>Allocates a bitmap for <paramref name="info"/>; the caller disposes it.</summary>
    /// <param name="info">The size, color type, alpha type and color space of the pixels.</param>
    /// <returns>A bitmap that owns its pixels.</returns>
    /// <exception cref="InsufficientMemoryException">The pixels could not be allocated.</exception>
    SKBitmap Allocate(SKImageInfo info);
}
