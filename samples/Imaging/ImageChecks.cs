using System.Globalization;

namespace TaskPool.Samples.Imaging;

/// <summary>The checks and refusals both engines share, so that a bad input gets the same reason and message from either.</summary>
internal static class ImageChecks
{
    /// <summary>The containers both engines decode, for messages.</summary>
    public const string DecodableFormats = "JPEG, PNG, WebP, GIF, BMP or ICO";

    /// <summary>Refuses an empty input or one over <see cref="ImageLimits.MaxInputBytes"/>.</summary>
    public static void CheckInputSize(ReadOnlySpan<byte> input, ImageLimits limits)
    {
        if (input.IsEmpty)
        {
            throw new ImageRejectedException(ImageRejectionReason.Empty, "The file is empty: no image data was received.");
        }

        if (input.Length > limits.MaxInputBytes)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.TooLarge,
                string.Create(CultureInfo.InvariantCulture, $"The file is {DescribeBytes(input.Length)}; the largest accepted is {DescribeBytes(limits.MaxInputBytes)}."));
        }
    }

    /// <summary>Refuses a header that declares no pixels or more than <see cref="ImageLimits.MaxPixels"/>: called before any pixel is decoded.</summary>
    public static void CheckPixelCount(int width, int height, ImageLimits limits)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ImageRejectedException(ImageRejectionReason.Truncated, "The image header declares no pixels, so it cannot be read.");
        }

        long pixels = (long)width * height;
        if (pixels > limits.MaxPixels)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.TooManyPixels,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The image is {width} x {height} pixels ({DescribeMegapixels(pixels)}); the most accepted is {DescribeMegapixels(limits.MaxPixels)}."));
        }
    }

    /// <summary>The refusal for an input whose header the decoder could not open: not an image, an unsupported one, or a damaged header.</summary>
    public static ImageRejectedException Unopenable(ReadOnlySpan<byte> input, Exception? cause = null)
    {
        string? container = ImageContainerSniffer.Identify(input, out bool decodable);
        if (container is null)
        {
            return new ImageRejectedException(
                ImageRejectionReason.NotAnImage,
                $"The file is not an image in a format we recognise; send {DecodableFormats}.",
                cause);
        }

        return decodable
            ? new ImageRejectedException(
                ImageRejectionReason.Truncated,
                $"The file looks like a {container} image, but its header is damaged or cut short, so it cannot be read.",
                cause)
            : Unsupported(container);
    }

    /// <summary>The refusal for a container neither engine decodes (TIFF, HEIF, AVIF, SVG, ...).</summary>
    public static ImageRejectedException Unsupported(string container) =>
        new(ImageRejectionReason.UnsupportedFormat, $"{container} images are not supported; send {DecodableFormats}.");

    /// <summary>The refusal for pixel data that ends early.</summary>
    public static ImageRejectedException Incomplete(SourceImageFormat format) =>
        new(ImageRejectionReason.Truncated, $"The {Name(format)} image is incomplete: the file seems to be cut short.");

    /// <summary>The refusal for pixel data that is damaged.</summary>
    public static ImageRejectedException Damaged(SourceImageFormat format, Exception? cause = null) =>
        new(ImageRejectionReason.Truncated, $"The {Name(format)} image is damaged and cannot be decoded.", cause);

    /// <summary>The refusal for a variant of a supported container that the decoder does not implement.</summary>
    public static ImageRejectedException UnsupportedVariant(SourceImageFormat format) =>
        new(ImageRejectionReason.UnsupportedFormat, $"This {Name(format)} image uses a variant that is not supported.");

    private static string Name(SourceImageFormat format) => format.ToString().ToUpperInvariant();

    private static string DescribeBytes(long bytes) =>
        bytes >= 1024 * 1024
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MiB ({bytes:N0} bytes)")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");

    private static string DescribeMegapixels(long pixels) =>
        string.Create(CultureInfo.InvariantCulture, $"{pixels / 1_000_000.0:0.#} megapixels");
}
