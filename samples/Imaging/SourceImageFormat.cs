namespace TaskPool.Samples.Imaging;

/// <summary>The container of an input image that the pipeline decodes.</summary>
public enum SourceImageFormat
{
    /// <summary>JPEG (decoded at a reduced scale when the thumbnail is much smaller).</summary>
    Jpeg,

    /// <summary>PNG.</summary>
    Png,

    /// <summary>WebP, lossy or lossless (decoded at a reduced scale when the thumbnail is much smaller); an animation yields its first frame.</summary>
    Webp,

    /// <summary>GIF; an animation yields its first frame.</summary>
    Gif,

    /// <summary>Windows bitmap.</summary>
    Bmp,

    /// <summary>Windows icon; the largest image in it is used.</summary>
    Ico,
}
