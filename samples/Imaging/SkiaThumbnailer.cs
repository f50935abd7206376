using SkiaSharp;

namespace TaskPool.Samples.Imaging;

/// <summary>The <see cref="ThumbnailEngine.Skia"/> engine: SkiaSharp decoding and encoding around a managed Lanczos-3 resampler.</summary>
/// <remarks>
/// The pipeline, phase by phase (the cancellation token is checked between phases):
/// <list type="number">
/// <item><description>Check the input size, open the header with <see cref="SKCodec"/> and refuse too many pixels before any pixel buffer exists.</description></item>
/// <item><description>Decode, at a reduced scale where the codec can (JPEG shrink-on-load in eighths, WebP at any scale), to no less than twice the thumbnail's size.</description></item>
/// <item><description>Halve with an exact 2x2 box while the image is still four or more times the thumbnail's size.</description></item>
/// <item><description>Resample to the exact size with a Lanczos-3 kernel widened by the remaining factor (2..4): no moiré.</description></item>
/// <item><description>Apply the EXIF orientation exactly, flatten onto white for JPEG, and encode.</description></item>
/// </list>
/// Animated GIF and WebP are accepted; the thumbnail shows the first frame.
/// The thumbnail is also scaled up when the source is smaller than the box.
/// </remarks>
internal static class SkiaThumbnailer
{
    /// <summary>
    /// Decode to at least this many times the thumbnail's size, leaving the final resampler some room. libvips' thumbnail makes
    /// the same choice (it leaves a factor of two for its final reduce); decoding JPEG smaller (1/8 instead of 1/4 for a 12 MP
    /// photo to 320 px) is faster but blurs the pass band and lets the 8x8 block average alias.
    /// </summary>
    private const double DecodeHeadroom = 2.0;

    /// <summary>Halve with a box filter while the image is at least this many times the thumbnail's size.</summary>
    private const double HalvingThreshold = 4.0;

    private const int PngZlibLevel = 6;

    private static readonly SKColorSpace s_srgb = SKColorSpace.CreateSrgb();

    /// <summary>Makes a thumbnail; see <see cref="ThumbnailGenerator.Generate(ReadOnlySpan{byte}, ThumbnailOptions, ImageLimits, ThumbnailEngine, CancellationToken)"/>.</summary>
    /// <param name="input">The encoded image.</param>
    /// <param name="options">The box, format, quality and fit.</param>
    /// <param name="limits">The input size and pixel count limits.</param>
    /// <param name="pixels">Allocates every pixel buffer; <see cref="NativePixelAllocator.Shared"/> in production.</param>
    /// <param name="cancellationToken">Checked between the phases.</param>
    public static ThumbnailResult Generate(ReadOnlySpan<byte> input, ThumbnailOptions options, ImageLimits limits, IPixelAllocator pixels, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ImageChecks.CheckInputSize(input, limits);

        using SKData data = SKData.CreateCopy(input);
        using SKCodec codec = OpenCodec(data, input);
        SourceImageFormat sourceFormat = ToSourceFormat(codec.EncodedFormat);
        SKImageInfo header = codec.Info;
        ImageChecks.CheckPixelCount(header.Width, header.Height, limits);

        SKEncodedOrigin origin = codec.EncodedOrigin;
        if (origin is < SKEncodedOrigin.TopLeft or > SKEncodedOrigin.LeftBottom)
        {
            origin = SKEncodedOrigin.TopLeft;
        }

        ThumbnailLayout layout = ThumbnailLayout.Compute(header.Width, header.Height, origin, options);
        bool sourceIsOpaque = header.AlphaType == SKAlphaType.Opaque;
        cancellationToken.ThrowIfCancellationRequested();

        SKBitmap image = Decode(codec, layout, sourceIsOpaque, sourceFormat, pixels, out SKRect region);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (region.Width >= HalvingThreshold * layout.ResampleWidth
                && region.Height >= HalvingThreshold * layout.ResampleHeight
                && image.Width >= 2 && image.Height >= 2)
            {
                Replace(ref image, Halve(image, pixels));
                region = new SKRect(region.Left / 2, region.Top / 2, region.Right / 2, region.Bottom / 2);
                cancellationToken.ThrowIfCancellationRequested();
            }

            Replace(ref image, Resample(image, region, layout, pixels, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();

            bool flattenOntoWhite = options.Format == ThumbnailFormat.Jpeg && !sourceIsOpaque;
            if (origin != SKEncodedOrigin.TopLeft || flattenOntoWhite)
            {
                Replace(ref image, Compose(image, origin, layout, opaque: sourceIsOpaque || flattenOntoWhite, pixels));
                cancellationToken.ThrowIfCancellationRequested();
            }

            byte[] encoded = Encode(image, options);
            bool swapsAxes = ImageOrientation.SwapsAxes(origin);
            return new ThumbnailResult(
                encoded,
                options.Format,
                image.Width,
                image.Height,
                sourceFormat,
                swapsAxes ? header.Height : header.Width,
                swapsAxes ? header.Width : header.Height,
                (int)origin);
        }
        finally
        {
            image.Dispose();
        }
    }

    private static void Replace(ref SKBitmap current, SKBitmap next)
    {
        current.Dispose();
        current = next;
    }

    private static SKCodec OpenCodec(SKData data, ReadOnlySpan<byte> input) =>
        SKCodec.Create(data) ?? throw ImageChecks.Unopenable(input);

    private static SourceImageFormat ToSourceFormat(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Jpeg => SourceImageFormat.Jpeg,
        SKEncodedImageFormat.Png => SourceImageFormat.Png,
        SKEncodedImageFormat.Webp => SourceImageFormat.Webp,
        SKEncodedImageFormat.Gif => SourceImageFormat.Gif,
        SKEncodedImageFormat.Bmp => SourceImageFormat.Bmp,
        SKEncodedImageFormat.Ico => SourceImageFormat.Ico,
        _ => throw ImageChecks.Unsupported(format.ToString().ToUpperInvariant()),
    };

    /// <summary>
    /// Decodes at the smallest scale the codec offers that still leaves <see cref="DecodeHeadroom"/> times the
    /// thumbnail's size; <paramref name="region"/> comes back in the decoded image's pixel coordinates.
    /// </summary>
    private static SKBitmap Decode(SKCodec codec, ThumbnailLayout layout, bool sourceIsOpaque, SourceImageFormat sourceFormat, IPixelAllocator pixels, out SKRect region)
    {
        SKSizeI full = codec.Info.Size;
        SKSizeI size = ChooseDecodeSize(codec, layout);
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, sourceIsOpaque ? SKAlphaType.Opaque : SKAlphaType.Premul, s_srgb);
        SKCodecResult result = DecodeInto(codec, info, pixels, out SKBitmap? bitmap);
        if (result == SKCodecResult.InvalidScale && size != full)
        {
            // The codec offered a size it then refused: decode at full scale and let halving do the work.
            size = full;
            result = DecodeInto(codec, info.WithSize(full.Width, full.Height), pixels, out bitmap);
        }

        if (bitmap is null)
        {
            throw DecodeFailure(result, sourceFormat);
        }

        (float scaleX, float scaleY) = DecodedScale(codec.EncodedFormat, full, size);
        SKRect r = layout.SourceRegion;
        region = new SKRect(r.Left * scaleX, r.Top * scaleY, r.Right * scaleX, r.Bottom * scaleY);
        return bitmap;
    }

    /// <summary>
    /// How the decoded pixels map onto the full image. A JPEG decoded at n/8 is exactly n/8 of it, its last row and column
    /// partly covered when the size does not divide (1500 rows at 3/8 give 563 rows holding 562.5); the ratio of the rounded
    /// sizes would shift the thumbnail by up to half a decoded pixel. Other codecs scale the whole image onto the size.
    /// </summary>
    private static (float ScaleX, float ScaleY) DecodedScale(SKEncodedImageFormat format, SKSizeI full, SKSizeI size)
    {
        if (format == SKEncodedImageFormat.Jpeg && size != full)
        {
            int eighths = (int)Math.Round(size.Width * 8.0 / full.Width);
            if (eighths is >= 1 and <= 8
                && (int)Math.Ceiling(full.Width * eighths / 8.0) == size.Width
                && (int)Math.Ceiling(full.Height * eighths / 8.0) == size.Height)
            {
                return (eighths / 8f, eighths / 8f);
            }
        }

        return ((float)size.Width / full.Width, (float)size.Height / full.Height);
    }

    /// <summary>Decodes into a new bitmap, which comes back only when the decode succeeded completely.</summary>
    private static SKCodecResult DecodeInto(SKCodec codec, SKImageInfo info, IPixelAllocator pixels, out SKBitmap? bitmap)
    {
        SKBitmap decoded = pixels.Allocate(info);
        SKCodecResult result;
        try
        {
            result = codec.GetPixels(info, decoded.GetPixels());
        }
        catch
        {
            decoded.Dispose();
            throw;
        }

        if (result != SKCodecResult.Success)
        {
            decoded.Dispose();
            bitmap = null;
            return result;
        }

        bitmap = decoded;
        return result;
    }

    private static SKSizeI ChooseDecodeSize(SKCodec codec, ThumbnailLayout layout)
    {
        SKSizeI full = codec.Info.Size;
        SKRect region = layout.SourceRegion;
        double desired = DecodeHeadroom * Math.Max(layout.ResampleWidth / region.Width, layout.ResampleHeight / region.Height);
        if (desired >= 1)
        {
            return full;
        }

        // Floor, not ceiling: WebP scales to the rounded size, which may be a fraction below the exact one.
        int minimumWidth = Math.Max(1, (int)Math.Floor(full.Width * desired));
        int minimumHeight = Math.Max(1, (int)Math.Floor(full.Height * desired));

        // Codecs round the scale to what they support (JPEG: eighths, to the nearest): try the desired scale,
        // then the eighths above it, and take the first that is large enough.
        SKSizeI candidate = codec.GetScaledDimensions((float)desired);
        for (int eighths = (int)Math.Floor(desired * 8) + 1; eighths <= 8; eighths++)
        {
            if (candidate.Width >= minimumWidth && candidate.Height >= minimumHeight)
            {
                return candidate.Width <= full.Width && candidate.Height <= full.Height ? candidate : full;
            }

            candidate = codec.GetScaledDimensions(eighths / 8f);
        }

        return full;
    }

    private static ImageRejectedException DecodeFailure(SKCodecResult result, SourceImageFormat sourceFormat) => result switch
    {
        SKCodecResult.IncompleteInput => ImageChecks.Incomplete(sourceFormat),
        SKCodecResult.Unimplemented or SKCodecResult.InvalidConversion => ImageChecks.UnsupportedVariant(sourceFormat),
        _ => ImageChecks.Damaged(sourceFormat),
    };

    /// <summary>Resamples <paramref name="region"/> of <paramref name="image"/> to the layout's size, in the stored orientation.</summary>
    private static SKBitmap Resample(SKBitmap image, SKRect region, ThumbnailLayout layout, IPixelAllocator pixels, CancellationToken cancellationToken)
    {
        SKBitmap resampled = pixels.Allocate(image.Info.WithSize(layout.ResampleWidth, layout.ResampleHeight));
        try
        {
            using SKPixmap source = image.PeekPixels();
            using SKPixmap destination = resampled.PeekPixels();
            LanczosResampler.Resample(source, region, destination, cancellationToken);
            return resampled;
        }
        catch
        {
            resampled.Dispose();
            throw;
        }
    }

    /// <summary>Halves both dimensions with an exact 2x2 box average (bilinear sampling at half-pixel offsets).</summary>
    private static SKBitmap Halve(SKBitmap source, IPixelAllocator pixels)
    {
        int width = source.Width / 2;
        int height = source.Height / 2;
        SKBitmap halved = pixels.Allocate(source.Info.WithSize(width, height));
        using SKPixmap sourcePixels = source.PeekPixels();
        using SKImage image = SKImage.FromPixels(sourcePixels);
        using var canvas = new SKCanvas(halved);
        using var paint = new SKPaint { BlendMode = SKBlendMode.Src };
        canvas.DrawImage(
            image,
            new SKRect(0, 0, width * 2, height * 2),
            new SKRect(0, 0, width, height),
            new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None),
            paint);
        return halved;
    }

    /// <summary>Turns the resampled image upright (an exact pixel permutation) and flattens it onto white when asked.</summary>
    private static SKBitmap Compose(SKBitmap resampled, SKEncodedOrigin origin, ThumbnailLayout layout, bool opaque, IPixelAllocator pixels)
    {
        var info = new SKImageInfo(layout.OutputWidth, layout.OutputHeight, SKColorType.Rgba8888, opaque ? SKAlphaType.Opaque : SKAlphaType.Premul, s_srgb);
        SKBitmap upright = pixels.Allocate(info);
        using SKPixmap resampledPixels = resampled.PeekPixels();
        using SKImage image = SKImage.FromPixels(resampledPixels);
        using var canvas = new SKCanvas(upright);
        using var paint = new SKPaint { BlendMode = SKBlendMode.SrcOver };
        canvas.Clear(opaque ? SKColors.White : SKColors.Transparent);
        canvas.SetMatrix(ImageOrientation.ToUpright(origin, resampled.Width, resampled.Height));
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None), paint);
        return upright;
    }

    private static byte[] Encode(SKBitmap bitmap, ThumbnailOptions options)
    {
        // The pixels were converted to sRGB while decoding. Encoding them untagged (no color space) keeps Skia
        // from embedding a 472-byte sRGB ICC profile in every JPEG/WebP: untagged images are read as sRGB anyway.
        using var pixels = new SKPixmap(bitmap.Info.WithColorSpace(null), bitmap.GetPixels(), bitmap.RowBytes);
        using SKData? encoded = options.Format switch
        {
            ThumbnailFormat.Jpeg => pixels.Encode(new SKJpegEncoderOptions(options.Quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)),
            ThumbnailFormat.Png => pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, PngZlibLevel)),
            ThumbnailFormat.Webp => pixels.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, options.Quality)),
            _ => null,
        };
        return encoded?.ToArray() ?? throw new InvalidOperationException($"Skia could not encode a {bitmap.Width}x{bitmap.Height} {options.Format} image.");
    }
}
