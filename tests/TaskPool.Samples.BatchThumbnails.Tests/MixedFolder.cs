using TaskPool.Samples.Imaging;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.BatchThumbnails.Tests;

/// <summary>A folder of real images, good and bad, with what <c>--fit contain</c> into 320x320 JPEG must make of each.</summary>
internal static class MixedFolder
{
    /// <summary>Good inputs and the size of their thumbnail with <c>--fit contain</c> in a 320x320 box.</summary>
    public static readonly (string Input, string Output, int Width, int Height)[] Good =
    [
        ("photo.jpg", "photo.jpg", 320, 240),
        ("graphic.png", "graphic.jpg", 320, 240),
        ("web.webp", "web.jpg", 320, 160),
        ("rotated.jpg", "rotated.jpg", 160, 320), // stored 400x200, EXIF orientation 6: displayed 200x400
    ];

    /// <summary>Bad inputs and the reason the report must give.</summary>
    public static readonly (string Input, string Reason)[] Bad =
    [
        ("empty.jpg", nameof(ImageRejectionReason.Empty)),
        ("notes.txt", nameof(ImageRejectionReason.NotAnImage)),
        ("truncated.jpg", nameof(ImageRejectionReason.Truncated)),
        ("bomb.png", nameof(ImageRejectionReason.TooManyPixels)),
        ("corrupt.jpg", nameof(ImageRejectionReason.Truncated)),
    ];

    /// <summary>A JPEG start-of-image marker followed by noise: a recognised container whose content is garbage.</summary>
    public static byte[] CorruptJpeg()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        return bytes;
    }

    /// <summary>Writes the files into <paramref name="folder"/>'s input, under <paramref name="prefix"/>.</summary>
    public static void Create(TempFolder folder, string prefix = "")
    {
        folder.AddInput(prefix + "photo.jpg", TestImages.Photo(ThumbnailFormat.Jpeg, 800, 600));
        folder.AddInput(prefix + "graphic.png", TestImages.Photo(ThumbnailFormat.Png, 640, 480));
        folder.AddInput(prefix + "web.webp", TestImages.Photo(ThumbnailFormat.Webp, 600, 300));
        folder.AddInput(prefix + "rotated.jpg", TestImages.WithExifOrientation(TestImages.Quadrants(ThumbnailFormat.Jpeg, 400, 200), 6));
        folder.AddInput(prefix + "empty.jpg", TestImages.Empty());
        folder.AddInput(prefix + "notes.txt", TestImages.Text());
        folder.AddInput(prefix + "truncated.jpg", TestImages.Truncated(TestImages.Photo(ThumbnailFormat.Jpeg, 800, 600)));
        folder.AddInput(prefix + "bomb.png", TestImages.DecompressionBomb());
        folder.AddInput(prefix + "corrupt.jpg", CorruptJpeg());
    }
}
