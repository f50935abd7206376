namespace TaskPool.Samples.Imaging;

/// <summary>How a thumbnail fits its requested box.</summary>
public enum ThumbnailFit
{
    /// <summary>
    /// Fill the whole box and crop the overflow equally from both sides: the output is exactly the box.
    /// </summary>
    Cover,

    /// <summary>
    /// Fit the whole image inside the box keeping its aspect ratio: the output matches the box on one axis
    /// and may be smaller than the box on the other.
    /// </summary>
    Contain,
}
