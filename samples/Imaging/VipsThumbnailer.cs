using NetVips;
using SkiaSharp;
using VipsImage = NetVips.Image;
using VipsRuntime = NetVips.NetVips;

namespace TaskPool.Samples.Imaging;

/// <summary>
/// The <see cref="ThumbnailEngine.Vips"/> engine: libvips in-process through NetVips (the self-contained NetVips.Native build).
/// </summary>
/// <remarks>
/// The pipeline, phase by phase (the cancellation token is checked between phases):
/// <list type="number">
/// <item><description>Check the input size; recognise the container from its first bytes (only JPEG, PNG, WebP and GIF reach
/// libvips; BMP and ICO, which it does not read, go to the Skia engine; anything else is refused as Skia refuses it).</description></item>
/// <item><description>Open the header (libvips reads no pixel until asked) and refuse too many pixels.</description></item>
/// <item><description>Thumbnail: shrink-on-load (JPEG by 2, 4 or 8, leaving a factor of two), then a Lanczos-3 reduce, the EXIF
/// orientation and the center crop, streamed in one pass on one libvips thread; a truncated or damaged file fails here.</description></item>
/// <item><description>Flatten onto white for JPEG and encode without metadata.</description></item>
/// </list>
/// libvips is configured once for the process: one worker thread per evaluation (the pool owns the parallelism), the operation
/// cache off (every call is a different image), untrusted loaders blocked, and its warnings kept off stderr.
/// </remarks>
internal static class VipsThumbnailer
{
    private const int PngCompression = 6;

    /// <summary>The loader option that makes a truncated or damaged file fail instead of decoding to gray (thumbnail's own fail_on is ignored).</summary>
    private const string FailOnError = "fail_on=error";

    /// <summary>
    /// Convert an image with an embedded profile (Display P3, Adobe RGB, CMYK) to sRGB, as the Skia engine does while decoding:
    /// the thumbnail is written without a profile, so its numbers must be sRGB's. Asked only when the header has a profile, since
    /// libvips would otherwise run an sRGB-to-sRGB transform on every image.
    /// </summary>
    private const string SrgbProfile = "srgb";

    /// <summary>The header field that holds an embedded ICC profile.</summary>
    private const string IccProfileField = "icc-profile-data";

    /// <summary>libvips' warnings (a damaged file logs several before it fails) would go to stderr; the failure itself is the rejection.</summary>
    private static readonly Log.LogDelegate s_ignoreWarnings = static (_, _, _) => { };

    static VipsThumbnailer()
    {
        Log.SetLogHandler("VIPS", Enums.LogLevelFlags.Warning, s_ignoreWarnings);
        VipsRuntime.Concurrency = 1;
        Cache.Max = 0;
        Cache.MaxMem = 0;
        Cache.MaxFiles = 0;
        VipsRuntime.BlockUntrusted = true;
    }

    /// <summary>Makes a thumbnail; see <see cref="ThumbnailGenerator.Generate(ReadOnlySpan{byte}, ThumbnailOptions, ImageLimits, ThumbnailEngine, CancellationToken)"/>.</summary>
    /// <param name="input">The encoded image.</param>
    /// <param name="options">The box, format, quality and fit.</param>
    /// <param name="limits">The input size and pixel count limits.</param>
    /// <param name="pixels">Allocates the pixel buffers of BMP and ICO inputs, which go to the Skia engine; libvips allocates its own.</param>
    /// <param name="cancellationToken">Checked between the phases.</param>
    public static ThumbnailResult Generate(ReadOnlySpan<byte> input, ThumbnailOptions options, ImageLimits limits, IPixelAllocator pixels, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ImageChecks.CheckInputSize(input, limits);
        SourceImageFormat sourceFormat = Recognise(input);
        if (sourceFormat is SourceImageFormat.Bmp or SourceImageFormat.Ico)
        {
            return SkiaThumbnailer.Generate(input, options, limits, pixels, cancellationToken);
        }

        // One native copy of the input, which the header and the thumbnail both read: no managed (large object heap) copy.
        using Source encoded = Source.NewFromMemory(input);
        int storedWidth;
        int storedHeight;
        int orientation;
        bool hasProfile;
        using (VipsImage header = OpenHeader(encoded, input))
        {
            hasProfile = header.Contains(IccProfileField);
            storedWidth = header.Width;
            storedHeight = header.Height;
            ImageChecks.CheckPixelCount(storedWidth, storedHeight, limits);
            orientation = header.Contains("orientation") && header.Get("orientation") is int value && value is >= 1 and <= 8 ? value : 1;
        }

        var origin = (SKEncodedOrigin)orientation;
        ThumbnailLayout layout = ThumbnailLayout.Compute(storedWidth, storedHeight, origin, options);
        cancellationToken.ThrowIfCancellationRequested();

        VipsImage image = Thumbnail(encoded, layout, options.Fit, hasProfile ? SrgbProfile : null, sourceFormat);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (image.Format != Enums.BandFormat.Uchar
                || (image.Interpretation != Enums.Interpretation.Srgb && image.Interpretation != Enums.Interpretation.Bw))
            {
                Replace(ref image, image.Colourspace(Enums.Interpretation.Srgb));
            }

            if (options.Format == ThumbnailFormat.Jpeg && image.HasAlpha())
            {
                Replace(ref image, image.Flatten(background: Enumerable.Repeat(255.0, image.Bands - 1).ToArray()));
            }

            byte[] thumbnail = Encode(image, options, sourceFormat);
            bool swapsAxes = ImageOrientation.SwapsAxes(origin);
            return new ThumbnailResult(
                thumbnail,
                options.Format,
                image.Width,
                image.Height,
                sourceFormat,
                swapsAxes ? storedHeight : storedWidth,
                swapsAxes ? storedWidth : storedHeight,
                orientation);
        }
        finally
        {
            image.Dispose();
        }
    }

    /// <summary>The container, from its first bytes; refuses what neither engine decodes exactly as the Skia engine does.</summary>
    private static SourceImageFormat Recognise(ReadOnlySpan<byte> input)
    {
        string? container = ImageContainerSniffer.Identify(input, out bool decodable);
        return container switch
        {
            "JPEG" => SourceImageFormat.Jpeg,
            "PNG" => SourceImageFormat.Png,
            "WebP" => SourceImageFormat.Webp,
            "GIF" => SourceImageFormat.Gif,
            "BMP" => SourceImageFormat.Bmp,
            "ICO" => SourceImageFormat.Ico,
            _ when container is not null && !decodable => throw ImageChecks.Unsupported(container),
            _ => throw ImageChecks.Unopenable(input),
        };
    }

    /// <summary>Reads the header only: libvips decodes no pixel until the image is evaluated.</summary>
    private static VipsImage OpenHeader(Source encoded, ReadOnlySpan<byte> input)
    {
        try
        {
            return VipsImage.NewFromSource(encoded, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error);
        }
        catch (VipsException exception)
        {
            throw ImageChecks.Unopenable(input, exception);
        }
    }

    /// <summary>Decodes, reduces, orients and crops into memory: the phase where a truncated or damaged file fails.</summary>
    private static VipsImage Thumbnail(Source encoded, ThumbnailLayout layout, ThumbnailFit fit, string? outputProfile, SourceImageFormat sourceFormat)
    {
        try
        {
            using VipsImage thumbnail = fit == ThumbnailFit.Cover
                ? VipsImage.ThumbnailSource(encoded, layout.OutputWidth, FailOnError, layout.OutputHeight, Enums.Size.Both, crop: Enums.Interesting.Centre, outputProfile: outputProfile)
                : VipsImage.ThumbnailSource(encoded, layout.OutputWidth, FailOnError, layout.OutputHeight, Enums.Size.Force, outputProfile: outputProfile);
            return thumbnail.CopyMemory();
        }
        catch (VipsException exception)
        {
            throw DecodeFailure(exception, sourceFormat);
        }
    }

    private static byte[] Encode(VipsImage image, ThumbnailOptions options, SourceImageFormat sourceFormat)
    {
        try
        {
            return options.Format switch
            {
                ThumbnailFormat.Jpeg => image.JpegsaveBuffer(q: options.Quality, keep: Enums.ForeignKeep.None),
                ThumbnailFormat.Png => image.PngsaveBuffer(compression: PngCompression, keep: Enums.ForeignKeep.None),
                ThumbnailFormat.Webp => image.WebpsaveBuffer(q: options.Quality, keep: Enums.ForeignKeep.None),
                _ => throw new InvalidOperationException($"Unknown thumbnail format {options.Format}."),
            };
        }
        catch (VipsException exception)
        {
            // The image was evaluated before encoding, so only a pixel-level failure that libvips defers can end up here.
            throw DecodeFailure(exception, sourceFormat);
        }
    }

    private static ImageRejectedException DecodeFailure(VipsException exception, SourceImageFormat sourceFormat)
    {
        string message = exception.Message;
        return message.Contains("truncated", StringComparison.OrdinalIgnoreCase)
            || message.Contains("premature end", StringComparison.OrdinalIgnoreCase)
            || message.Contains("out of data", StringComparison.OrdinalIgnoreCase)
            || message.Contains("unexpected end", StringComparison.OrdinalIgnoreCase)
            ? ImageChecks.Incomplete(sourceFormat)
            : ImageChecks.Damaged(sourceFormat, exception);
    }

    private static void Replace(ref VipsImage current, VipsImage next)
    {
        current.Dispose();
        current = next;
    }
}
