using TaskPool.Samples.Imaging;

namespace TaskPool.Isolation.Benchmarks;

/// <summary>The same job bodies for both lanes.</summary>
internal static class Jobs
{
    public static readonly ThumbnailOptions Thumbnail = new(320, 320, ThumbnailFormat.Jpeg, ThumbnailOptions.DefaultQuality, ThumbnailFit.Contain);

    public static void Register(ProcessJobRegistry registry) => registry
        .Map("empty", static (input, ct) => [])
        .Map("echo", static (input, ct) => input.ToArray())
        .Map("thumbnail", static (input, ct) => MakeThumbnail(input, ct));

    public static byte[] MakeThumbnail(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
        => ThumbnailGenerator.Generate(input, Thumbnail, ImageLimits.Default, cancellationToken).Data.ToArray();
}
