using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace TaskPool.Samples.Imaging;

/// <summary>
/// The thumbnail as a job on bytes, for a process pool (TaskPool.Isolation): the one encoding of a job's input and of its refusals,
/// shared by the sample server and the batch tool. The input is a small header (the options, the engine and the limits) followed by the image;
/// the output is the encoded thumbnail. A refusal in the child is thrown as <see cref="ImageRejectedException"/> whose message starts
/// with its reason in brackets, and <see cref="TryGetRejection"/> turns what the parent receives back into the same exception.
/// </summary>
public static class ThumbnailJob
{
    /// <summary>The job name the child maps and the parent runs.</summary>
    public const string JobName = "thumbnail";

    /// <summary>The size of the header in front of the image, in bytes.</summary>
    public const int HeaderSize = 1 + 4 + 4 + 1 + 1 + 1 + 1 + 8 + 8;

    private const byte Version = 2;

    /// <summary>Builds a job's input for the <see cref="ThumbnailGenerator.DefaultEngine"/>: the header, then the image.</summary>
    /// <param name="image">The encoded image.</param>
    /// <param name="options">The box, format, quality and fit.</param>
    /// <param name="limits">The limits the child enforces.</param>
    /// <returns>The job's input bytes.</returns>
    public static byte[] EncodeInput(ReadOnlySpan<byte> image, ThumbnailOptions options, ImageLimits limits) =>
        EncodeInput(image, options, limits, ThumbnailGenerator.DefaultEngine);

    /// <summary>Builds a job's input: the header, then the image.</summary>
    /// <param name="image">The encoded image.</param>
    /// <param name="options">The box, format, quality and fit.</param>
    /// <param name="limits">The limits the child enforces.</param>
    /// <param name="engine">The engine the child uses.</param>
    /// <returns>The job's input bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="engine"/> is not a defined value.</exception>
    public static byte[] EncodeInput(ReadOnlySpan<byte> image, ThumbnailOptions options, ImageLimits limits, ThumbnailEngine engine)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(limits);
        if (!Enum.IsDefined(engine))
        {
            throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown thumbnail engine.");
        }

        byte[] input = new byte[HeaderSize + image.Length];
        Span<byte> header = input.AsSpan(0, HeaderSize);
        header[0] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(header[1..], options.Width);
        BinaryPrimitives.WriteInt32LittleEndian(header[5..], options.Height);
        header[9] = (byte)options.Format;
        header[10] = (byte)options.Quality;
        header[11] = (byte)options.Fit;
        header[12] = (byte)engine;
        BinaryPrimitives.WriteInt64LittleEndian(header[13..], limits.MaxPixels);
        BinaryPrimitives.WriteInt64LittleEndian(header[21..], limits.MaxInputBytes);
        image.CopyTo(input.AsSpan(HeaderSize));
        return input;
    }

    /// <summary>Reads a job's input back: the options, the limits, the engine and the image (a slice of <paramref name="input"/>).</summary>
    /// <param name="input">Bytes made by <see cref="EncodeInput(ReadOnlySpan{byte}, ThumbnailOptions, ImageLimits, ThumbnailEngine)"/>.</param>
    /// <returns>The options, the limits, the engine and the image.</returns>
    /// <exception cref="ArgumentException">The input is shorter than the header, of another version, or names no known engine.</exception>
    /// <exception cref="ImageRejectedException">An option in the header is out of range.</exception>
    public static (ThumbnailOptions Options, ImageLimits Limits, ThumbnailEngine Engine, ReadOnlyMemory<byte> Image) DecodeInput(ReadOnlyMemory<byte> input)
    {
        ReadOnlySpan<byte> header = input.Span;
        if (header.Length < HeaderSize || header[0] != Version)
        {
            throw new ArgumentException("The input is not a thumbnail job of this version.", nameof(input));
        }

        var engine = (ThumbnailEngine)header[12];
        if (!Enum.IsDefined(engine))
        {
            throw new ArgumentException("The input names no known thumbnail engine.", nameof(input));
        }

        var options = new ThumbnailOptions(
            BinaryPrimitives.ReadInt32LittleEndian(header[1..]),
            BinaryPrimitives.ReadInt32LittleEndian(header[5..]),
            (ThumbnailFormat)header[9],
            header[10],
            (ThumbnailFit)header[11]);
        var limits = new ImageLimits(BinaryPrimitives.ReadInt64LittleEndian(header[13..]), BinaryPrimitives.ReadInt64LittleEndian(header[21..]));
        return (options, limits, engine, input[HeaderSize..]);
    }

    /// <summary>
    /// The child's handler: decodes the input, makes the thumbnail and returns its bytes. A refusal is thrown as
    /// <see cref="ImageRejectedException"/> with the reason in brackets at the start of the message (see <see cref="TryGetRejection"/>).
    /// </summary>
    /// <param name="input">Bytes made by <see cref="EncodeInput(ReadOnlySpan{byte}, ThumbnailOptions, ImageLimits, ThumbnailEngine)"/>.</param>
    /// <param name="cancellationToken">Cancels the job.</param>
    /// <returns>The encoded thumbnail.</returns>
    public static byte[] Run(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        try
        {
            (ThumbnailOptions options, ImageLimits limits, ThumbnailEngine engine, ReadOnlyMemory<byte> image) = DecodeInput(input);
            return ThumbnailGenerator.Generate(image.Span, options, limits, engine, cancellationToken).Data.ToArray();
        }
        catch (ImageRejectedException exception)
        {
            throw new ImageRejectedException(exception.Reason, $"[{exception.Reason}] {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Turns the type and message of an exception thrown by <see cref="Run"/> in a child (as a process pool reports them) back into
    /// the <see cref="ImageRejectedException"/> it was, with its reason and original message.
    /// </summary>
    /// <param name="remoteType">The full name of the exception type thrown in the child.</param>
    /// <param name="remoteMessage">Its message.</param>
    /// <param name="rejection">The refusal, when it was one.</param>
    /// <returns>Whether the child refused the image (rather than failing otherwise).</returns>
    public static bool TryGetRejection(string remoteType, string remoteMessage, [NotNullWhen(true)] out ImageRejectedException? rejection)
    {
        rejection = null;
        if (!string.Equals(remoteType, typeof(ImageRejectedException).FullName, StringComparison.Ordinal)
            || remoteMessage is null
            || !remoteMessage.StartsWith('['))
        {
            return false;
        }

        int end = remoteMessage.IndexOf("] ", StringComparison.Ordinal);
        if (end < 0 || !Enum.TryParse(remoteMessage.AsSpan(1, end - 1), ignoreCase: false, out ImageRejectionReason reason) || !Enum.IsDefined(reason))
        {
            return false;
        }

        rejection = new ImageRejectedException(reason, remoteMessage[(end + 2)..]);
        return true;
    }
}
