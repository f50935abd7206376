namespace TaskPool.Samples.WebApi.Thumbnails;

/// <summary>Where <c>POST /thumbnail</c> runs the imaging code (<c>Thumbnails:Isolation</c>).</summary>
public enum ThumbnailIsolation
{
    /// <summary>On the "images" worker pool, in the server process (the default).</summary>
    Thread,

    /// <summary>
    /// In a <see cref="TaskPool.Isolation.ProcessPool"/> of child processes of the server: a crash in the native decoder costs one child
    /// and its request (503), never the server.
    /// </summary>
    Process,
}
