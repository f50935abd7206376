using SkiaSharp;

namespace TaskPool.Samples.Imaging;

/// <summary>
/// Where a thumbnail comes from and what size it has, computed from the header alone (before any decoding).
/// Fit is decided on the upright (oriented) dimensions; resampling happens in the stored orientation and the
/// final, exact rotation or flip is applied to the small result.
/// </summary>
internal sealed class ThumbnailLayout
{
    private ThumbnailLayout(int outputWidth, int outputHeight, int resampleWidth, int resampleHeight, SKRect sourceRegion)
    {
        OutputWidth = outputWidth;
        OutputHeight = outputHeight;
        ResampleWidth = resampleWidth;
        ResampleHeight = resampleHeight;
        SourceRegion = sourceRegion;
    }

    /// <summary>The upright thumbnail width.</summary>
    public int OutputWidth { get; }

    /// <summary>The upright thumbnail height.</summary>
    public int OutputHeight { get; }

    /// <summary>The thumbnail width in the stored orientation (the height when the orientation swaps axes).</summary>
    public int ResampleWidth { get; }

    /// <summary>The thumbnail height in the stored orientation (the width when the orientation swaps axes).</summary>
    public int ResampleHeight { get; }

    /// <summary>The part of the stored, full-resolution image the thumbnail shows (all of it, or the cover crop).</summary>
    public SKRect SourceRegion { get; }

    /// <summary>Computes the layout for a stored image of <paramref name="storedWidth"/> by <paramref name="storedHeight"/>.</summary>
    public static ThumbnailLayout Compute(int storedWidth, int storedHeight, SKEncodedOrigin origin, ThumbnailOptions options)
    {
        bool swapsAxes = ImageOrientation.SwapsAxes(origin);
        double uprightWidth = swapsAxes ? storedHeight : storedWidth;
        double uprightHeight = swapsAxes ? storedWidth : storedHeight;
        int outputWidth;
        int outputHeight;
        SKRect uprightRegion;
        if (options.Fit == ThumbnailFit.Cover)
        {
            double scale = Math.Max(options.Width / uprightWidth, options.Height / uprightHeight);
            double cropWidth = Math.Min(uprightWidth, options.Width / scale);
            double cropHeight = Math.Min(uprightHeight, options.Height / scale);
            double left = (uprightWidth - cropWidth) / 2;
            double top = (uprightHeight - cropHeight) / 2;
            outputWidth = options.Width;
            outputHeight = options.Height;
            uprightRegion = new SKRect((float)left, (float)top, (float)(left + cropWidth), (float)(top + cropHeight));
        }
        else
        {
            double scale = Math.Min(options.Width / uprightWidth, options.Height / uprightHeight);
            outputWidth = Math.Clamp((int)Math.Round(uprightWidth * scale), 1, options.Width);
            outputHeight = Math.Clamp((int)Math.Round(uprightHeight * scale), 1, options.Height);
            uprightRegion = new SKRect(0, 0, (float)uprightWidth, (float)uprightHeight);
        }

        SKMatrix toUpright = ImageOrientation.ToUpright(origin, storedWidth, storedHeight);
        SKRect storedRegion = toUpright.Invert().MapRect(uprightRegion);
        return new ThumbnailLayout(
            outputWidth,
            outputHeight,
            swapsAxes ? outputHeight : outputWidth,
            swapsAxes ? outputWidth : outputHeight,
            storedRegion);
    }
}
