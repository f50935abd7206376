using System.Diagnostics;

namespace TaskPool.Samples.Imaging;

/// <summary>
/// Makes thumbnails: pure, synchronous, thread-safe CPU work with no shared state, meant to run on pool worker threads. It knows
/// nothing about HTTP or the pool. Each call runs on the calling thread (the <see cref="ThumbnailEngine.Vips"/> engine hands its
/// pixel work to one libvips thread and waits for it), so N pool workers use N cores.
/// </summary>
/// <remarks>
/// Every call, whatever the engine: refuse an empty or oversized input; open the header and refuse too many pixels before any
/// pixel is decoded; decode at a reduced scale where the codec can (JPEG shrink-on-load, WebP scaled decode), leaving at least
/// a factor of two to a Lanczos-3 reduce, which low-passes before it subsamples (no moiré); apply the EXIF orientation; flatten
/// onto white for JPEG; encode without metadata. Animated GIF and WebP give their first frame; a source smaller than the box is
/// scaled up.
/// </remarks>
public static class ThumbnailGenerator
{
    /// <summary>
    /// The engine the overloads without one use: <see cref="ThumbnailEngine.Vips"/>, the faster of the two at the same quality on
    /// the project's benchmark (docs/benchmarks/thumbnails-vs-libvips.md).
    /// </summary>
    public const ThumbnailEngine DefaultEngine = ThumbnailEngine.Vips;

    /// <summary>Makes a thumbnail of an encoded image with the <see cref="DefaultEngine"/>.</summary>
    /// <param name="input">The encoded image: JPEG, PNG, WebP, GIF, BMP or ICO.</param>
    /// <param name="options">The box, format, quality and fit.</param>
    /// <param name="limits">The input size and pixel count limits.</param>
    /// <param name="cancellationToken">Checked between the decode, resize and encode phases.</param>
    /// <returns>The encoded thumbnail with its dimensions and what was learned about the source.</returns>
    /// <exception cref="ImageRejectedException">The input is empty, too large, not an image, unsupported, corrupt or has too many pixels.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static ThumbnailResult Generate(ReadOnlyMemory<byte> input, ThumbnailOptions options, ImageLimits limits, CancellationToken cancellationToken = default) =>
        Generate(input.Span, options, limits, DefaultEngine, cancellationToken);

    /// <summary>Makes a thumbnail of an encoded image with the <see cref="DefaultEngine"/>.</summary>
    /// <param name="input">The encoded image: JPEG, PNG, WebP, GIF, BMP or ICO.</param>
    /// <param name="options">The box, format, quality and fit.</param>
    /// <param name="limits">The input size and pixel count limits.</param>
    /// <param name="cancellationToken">Checked between the decode, resize and encode phases.</param>
    /// <returns>The encoded thumbnail with its dimensions and what was learned about the source.</returns>
    /// <exception cref="ImageRejectedException">The input is empty, too large, not an image, unsupported, corrupt or has too many pixels.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static ThumbnailResult Generate(ReadOnlySpan<byte> input, ThumbnailOptions options, ImageLimits limits, CancellationToken cancellationToken = default) =>
        Generate(input, options, limits, DefaultEngine, cancellationToken);

    /// <summary>Makes a thumbnail of an encoded image with the given engine.</summary>
    /// <param name="input">The encoded image: JPEG, PNG, WebP, GIF, BMP or ICO.</param>
    /// <param name="options">The box, format, quality and fit.</param>
    /// <param name="limits">The input size and pixel count limits.</param>
    /// <param name="engine">The library that does the work.</param>
    /// <param name="cancellationToken">Checked between the decode, resize and encode phases.</param>
    /// <returns>The encoded thumbnail with its dimensions and what was learned about the source.</returns>
    /// <exception cref="ImageRejectedException">The input is empty, too large, not an image, unsupported, corrupt or has too many pixels.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="engine"/> is not a defined value.</exception>
    public static ThumbnailResult Generate(ReadOnlyMemory<byte> input, ThumbnailOptions options, ImageLimits limits, ThumbnailEngine engine, CancellationToken cancellationToken = default) =>
        Generate(input.Span, options, limits, engine, cancellationToken);

    /// <summary>Makes a thumbnail of an encoded image with the given engine.</summary>
    /// <param name="input">The encoded image: JPEG, PNG, WebP, GIF, BMP or ICO.</param>
    /// <param name="options">The box, format, quality and fit.</param>
    /// <param name="limits">The input size and pixel count limits.</param>
    /// <param name="engine">The library that does the work.</param>
    /// <param name="cancellationToken">Checked between the decode, resize and encode phases.</param>
    /// <returns>The encoded thumbnail with its dimensions and what was learned about the source.</returns>
    /// <exception cref="ImageRejectedException">The input is empty, too large, not an image, unsupported, corrupt or has too many pixels.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="engine"/> is not a defined value.</exception>
    public static ThumbnailResult Generate(ReadOnlySpan<byte> input, ThumbnailOptions options, ImageLimits limits, ThumbnailEngine engine, CancellationToken cancellationToken = default) =>
        Generate(input, options, limits, engine, NativePixelAllocator.Shared, cancellationToken);

    /// <summary>
    /// Like <see cref="Generate(ReadOnlySpan{byte}, ThumbnailOptions, ImageLimits, ThumbnailEngine, CancellationToken)"/>, with the
    /// allocator of the Skia engine's pixel buffers passed in (libvips allocates its own: the Vips engine uses it only for the BMP
    /// and ICO inputs that it hands to Skia).
    /// </summary>
    internal static ThumbnailResult Generate(ReadOnlySpan<byte> input, ThumbnailOptions options, ImageLimits limits, ThumbnailEngine engine, IPixelAllocator pixels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(limits);
        Debug.Assert(pixels is not null);
        return engine switch
        {
            ThumbnailEngine.Skia => SkiaThumbnailer.Generate(input, options, limits, pixels, cancellationToken),
            ThumbnailEngine.Vips => VipsThumbnailer.Generate(input, options, limits, pixels, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown thumbnail engine."),
        };
    }

    /// <summary>Parses an engine name: <c>vips</c> or <c>skia</c>, case-insensitive, surrounding white space ignored.</summary>
    /// <param name="text">The name.</param>
    /// <param name="engine">The engine, when the name is known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParseEngine(string? text, out ThumbnailEngine engine)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "VIPS" or "LIBVIPS":
                engine = ThumbnailEngine.Vips;
                return true;
            case "SKIA" or "SKIASHARP":
                engine = ThumbnailEngine.Skia;
                return true;
            default:
                engine = default;
                return false;
        }
    }
}
