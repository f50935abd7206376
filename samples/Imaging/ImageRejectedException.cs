namespace TaskPool.Samples.Imaging;

/// <summary>
/// The one exception the thumbnail pipeline raises for bad input or bad options. <see cref="Reason"/>
/// says what kind of problem it is; <see cref="Exception.Message"/> says it in words a user understands.
/// </summary>
public sealed class ImageRejectedException : Exception
{
    /// <summary>Creates an exception for <paramref name="reason"/> with a user-facing message.</summary>
    /// <param name="reason">The kind of problem.</param>
    /// <param name="message">What is wrong, in words a user understands.</param>
    public ImageRejectedException(ImageRejectionReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Creates an exception for <paramref name="reason"/> with a user-facing message and the underlying cause.</summary>
    /// <param name="reason">The kind of problem.</param>
    /// <param name="message">What is wrong, in words a user understands.</param>
    /// <param name="innerException">The exception that revealed the problem.</param>
    public ImageRejectedException(ImageRejectionReason reason, string message, Exception? innerException)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>The kind of problem; a server maps it to an HTTP status (see <see cref="ImageRejectionReason"/>).</summary>
    public ImageRejectionReason Reason { get; }
}
