namespace TaskPool.Samples.Imaging;

/// <summary>The encoding of a thumbnail.</summary>
public enum ThumbnailFormat
{
    /// <summary>JPEG at <see cref="ThumbnailOptions.Quality"/>; transparency is flattened onto white.</summary>
    Jpeg,

    /// <summary>PNG, lossless; transparency is kept and <see cref="ThumbnailOptions.Quality"/> is ignored.</summary>
    Png,

    /// <summary>Lossy WebP at <see cref="ThumbnailOptions.Quality"/>; transparency is kept.</summary>
    Webp,
}
