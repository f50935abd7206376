using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace TaskPool.Samples.Imaging;

/// <summary>
/// What thumbnail to make: the box (<see cref="Width"/> by <see cref="Height"/>), the output
/// <see cref="Format"/> and <see cref="Quality"/>, and how the image <see cref="Fit"/>s the box.
/// Instances are immutable and always valid: the constructor and the parsing helpers refuse values out of range.
/// </summary>
public sealed class ThumbnailOptions
{
    /// <summary>The smallest width or height of the box, in pixels.</summary>
    public const int MinDimension = 1;

    /// <summary>The largest width or height of the box, in pixels.</summary>
    public const int MaxDimension = 4096;

    /// <summary>The lowest encoder quality.</summary>
    public const int MinQuality = 1;

    /// <summary>The highest encoder quality.</summary>
    public const int MaxQuality = 100;

    /// <summary>The encoder quality used when none is given.</summary>
    public const int DefaultQuality = 80;

    /// <summary>Creates options, checking every value.</summary>
    /// <param name="width">The box width, 1..4096 pixels.</param>
    /// <param name="height">The box height, 1..4096 pixels.</param>
    /// <param name="format">The output encoding.</param>
    /// <param name="quality">The JPEG/WebP quality, 1..100 (ignored for PNG, but still checked).</param>
    /// <param name="fit">How the image fits the box.</param>
    /// <exception cref="ImageRejectedException">
    /// <see cref="ImageRejectionReason.BadDimensions"/> for a width or height out of range;
    /// <see cref="ImageRejectionReason.BadOptions"/> for a quality out of range or an undefined enum value.
    /// </exception>
    public ThumbnailOptions(
        int width,
        int height,
        ThumbnailFormat format = ThumbnailFormat.Jpeg,
        int quality = DefaultQuality,
        ThumbnailFit fit = ThumbnailFit.Cover)
    {
        CheckDimension("Width", width);
        CheckDimension("Height", height);
        if (quality is < MinQuality or > MaxQuality)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.BadOptions,
                string.Create(CultureInfo.InvariantCulture, $"Quality must be a whole number from {MinQuality} to {MaxQuality}; got {quality}."));
        }

        if (!Enum.IsDefined(format))
        {
            throw new ImageRejectedException(ImageRejectionReason.BadOptions, "Format must be jpeg, png or webp.");
        }

        if (!Enum.IsDefined(fit))
        {
            throw new ImageRejectedException(ImageRejectionReason.BadOptions, "Fit must be cover or contain.");
        }

        Width = width;
        Height = height;
        Format = format;
        Quality = quality;
        Fit = fit;
    }

    /// <summary>The box width in pixels, 1..4096.</summary>
    public int Width { get; }

    /// <summary>The box height in pixels, 1..4096.</summary>
    public int Height { get; }

    /// <summary>The output encoding.</summary>
    public ThumbnailFormat Format { get; }

    /// <summary>The JPEG/WebP quality, 1..100 (default 80); PNG is lossless and ignores it.</summary>
    public int Quality { get; }

    /// <summary>
    /// How the image fits the box: <see cref="ThumbnailFit.Cover"/> yields exactly the box (center-cropped);
    /// <see cref="ThumbnailFit.Contain"/> yields the whole image, which may be smaller than the box on one axis.
    /// </summary>
    public ThumbnailFit Fit { get; }

    /// <summary>
    /// Parses options from text, e.g. query string values. Case-insensitive; surrounding white space is ignored;
    /// a null or empty <paramref name="format"/>, <paramref name="quality"/> or <paramref name="fit"/> takes its default
    /// (jpeg, 80, cover).
    /// </summary>
    /// <param name="width">The box width: a whole number, 1..4096. Required.</param>
    /// <param name="height">The box height: a whole number, 1..4096. Required.</param>
    /// <param name="format"><c>jpeg</c> (or <c>jpg</c>), <c>png</c> or <c>webp</c>.</param>
    /// <param name="quality">A whole number, 1..100.</param>
    /// <param name="fit"><c>cover</c> or <c>contain</c>.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ImageRejectedException">
    /// <see cref="ImageRejectionReason.BadDimensions"/> for a missing, malformed or out-of-range width or height;
    /// <see cref="ImageRejectionReason.BadOptions"/> for a bad format, quality or fit. The message says which and why.
    /// </exception>
    public static ThumbnailOptions Parse(string? width, string? height, string? format = null, string? quality = null, string? fit = null)
    {
        if (TryParseCore(width, height, format, quality, fit, out ThumbnailOptions? options, out ImageRejectionReason reason, out string? error))
        {
            return options;
        }

        throw new ImageRejectedException(reason, error);
    }

    /// <summary>Parses options from text like <see cref="Parse"/>, without throwing.</summary>
    /// <param name="width">The box width: a whole number, 1..4096. Required.</param>
    /// <param name="height">The box height: a whole number, 1..4096. Required.</param>
    /// <param name="format"><c>jpeg</c> (or <c>jpg</c>), <c>png</c> or <c>webp</c>; null or empty for jpeg.</param>
    /// <param name="quality">A whole number, 1..100; null or empty for 80.</param>
    /// <param name="fit"><c>cover</c> or <c>contain</c>; null or empty for cover.</param>
    /// <param name="options">The options, when parsing succeeded.</param>
    /// <param name="error">What is wrong, in words a user understands, when parsing failed.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse(
        string? width,
        string? height,
        string? format,
        string? quality,
        string? fit,
        [NotNullWhen(true)] out ThumbnailOptions? options,
        [NotNullWhen(false)] out string? error) =>
        TryParseCore(width, height, format, quality, fit, out options, out _, out error);

    /// <summary>Parses an output format name: <c>jpeg</c>, <c>jpg</c>, <c>png</c> or <c>webp</c>, case-insensitive.</summary>
    /// <param name="text">The name.</param>
    /// <returns>The format.</returns>
    /// <exception cref="ImageRejectedException"><see cref="ImageRejectionReason.BadOptions"/> for any other text.</exception>
    public static ThumbnailFormat ParseFormat(string? text) =>
        TryParseFormat(text, out ThumbnailFormat format)
            ? format
            : throw new ImageRejectedException(ImageRejectionReason.BadOptions, FormatError(text));

    /// <summary>Parses an output format name like <see cref="ParseFormat"/>, without throwing.</summary>
    /// <param name="text">The name.</param>
    /// <param name="format">The format, when the name is known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParseFormat(string? text, out ThumbnailFormat format)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "JPEG" or "JPG":
                format = ThumbnailFormat.Jpeg;
                return true;
            case "PNG":
                format = ThumbnailFormat.Png;
                return true;
            case "WEBP":
                format = ThumbnailFormat.Webp;
                return true;
            default:
                format = default;
                return false;
        }
    }

    /// <summary>Parses a fit name: <c>cover</c> or <c>contain</c>, case-insensitive.</summary>
    /// <param name="text">The name.</param>
    /// <returns>The fit.</returns>
    /// <exception cref="ImageRejectedException"><see cref="ImageRejectionReason.BadOptions"/> for any other text.</exception>
    public static ThumbnailFit ParseFit(string? text) =>
        TryParseFit(text, out ThumbnailFit fit)
            ? fit
            : throw new ImageRejectedException(ImageRejectionReason.BadOptions, FitError(text));

    /// <summary>Parses a fit name like <see cref="ParseFit"/>, without throwing.</summary>
    /// <param name="text">The name.</param>
    /// <param name="fit">The fit, when the name is known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParseFit(string? text, out ThumbnailFit fit)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "COVER":
                fit = ThumbnailFit.Cover;
                return true;
            case "CONTAIN":
                fit = ThumbnailFit.Contain;
                return true;
            default:
                fit = default;
                return false;
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height} {Format} q{Quality} {Fit}");

    private static bool TryParseCore(
        string? width,
        string? height,
        string? format,
        string? quality,
        string? fit,
        [NotNullWhen(true)] out ThumbnailOptions? options,
        out ImageRejectionReason reason,
        [NotNullWhen(false)] out string? error)
    {
        options = null;
        reason = ImageRejectionReason.BadDimensions;
        if (!TryParseWholeNumber(width, "Width", MinDimension, MaxDimension, out int parsedWidth, out error)
            || !TryParseWholeNumber(height, "Height", MinDimension, MaxDimension, out int parsedHeight, out error))
        {
            return false;
        }

        reason = ImageRejectionReason.BadOptions;
        ThumbnailFormat parsedFormat = ThumbnailFormat.Jpeg;
        if (!string.IsNullOrWhiteSpace(format) && !TryParseFormat(format, out parsedFormat))
        {
            error = FormatError(format);
            return false;
        }

        int parsedQuality = DefaultQuality;
        if (!string.IsNullOrWhiteSpace(quality)
            && !TryParseWholeNumber(quality, "Quality", MinQuality, MaxQuality, out parsedQuality, out error))
        {
            return false;
        }

        ThumbnailFit parsedFit = ThumbnailFit.Cover;
        if (!string.IsNullOrWhiteSpace(fit) && !TryParseFit(fit, out parsedFit))
        {
            error = FitError(fit);
            return false;
        }

        options = new ThumbnailOptions(parsedWidth, parsedHeight, parsedFormat, parsedQuality, parsedFit);
        error = null;
        return true;
    }

    private static bool TryParseWholeNumber(string? text, string name, int min, int max, out int value, [NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            value = 0;
            error = string.Create(CultureInfo.InvariantCulture, $"{name} is missing; give a whole number from {min} to {max}.");
            return false;
        }

        // NumberStyles.None: digits only, so "-5", "+5", "1e3", "1,000" and "12.5" are all refused.
        if (!int.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number from {min} to {max}; got '{Shorten(text)}'.");
            return false;
        }

        error = null;
        return true;
    }

    private static void CheckDimension(string name, int value)
    {
        if (value is < MinDimension or > MaxDimension)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.BadDimensions,
                string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number from {MinDimension} to {MaxDimension}; got {value}."));
        }
    }

    private static string FormatError(string? text) => $"Format must be jpeg, png or webp; got '{Shorten(text)}'.";

    private static string FitError(string? text) => $"Fit must be cover or contain; got '{Shorten(text)}'.";

    private static string Shorten(string? text) =>
        text is null ? string.Empty : text.Length <= 32 ? text : string.Concat(text.AsSpan(0, 32), "...");
}
