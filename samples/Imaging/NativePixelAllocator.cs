using SkiaSharp;

namespace TaskPool.Samples.Imaging;

/// <summary>Allocates pixel buffers with Skia's own allocator: the one the pipeline uses.</summary>
internal sealed class NativePixelAllocator : IPixelAllocator
{
    private NativePixelAllocator()
    {
    }

    /// <summary>The one instance; stateless and thread-safe.</summary>
    public static NativePixelAllocator Shared { get; } = new();

    /// <inheritdoc/>
    public SKBitmap Allocate(SKImageInfo info)
    {
        var bitmap = new SKBitmap();
        if (!bitmap.TryAllocPixels(info))
        {
            bitmap.Dispose();
            throw new InsufficientMemoryException($"Could not allocate a {info.Width}x{info.Height} pixel buffer.");
        }

        return bitmap;
    }
}
