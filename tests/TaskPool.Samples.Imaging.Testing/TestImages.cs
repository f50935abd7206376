using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace TaskPool.Samples.Imaging.Testing;

/// <summary>
/// Real, generated test images for the imaging tests of the library, the sample server and the batch tool:
/// well-formed JPEG/PNG/WebP/GIF/BMP files, and the bad inputs the pipeline must refuse.
/// </summary>
public static class TestImages
{
    private const int DefaultEncodeQuality = 90;

    /// <summary>The color of the stored top-left quadrant of <see cref="Quadrants"/>.</summary>
    public static SKColor TopLeftColor => new(255, 0, 0);

    /// <summary>The color of the stored top-right quadrant of <see cref="Quadrants"/>.</summary>
    public static SKColor TopRightColor => new(0, 255, 0);

    /// <summary>The color of the stored bottom-left quadrant of <see cref="Quadrants"/>.</summary>
    public static SKColor BottomLeftColor => new(0, 0, 255);

    /// <summary>The color of the stored bottom-right quadrant of <see cref="Quadrants"/>.</summary>
    public static SKColor BottomRightColor => new(255, 255, 0);

    /// <summary>
    /// A photo-like opaque image: a diagonal color gradient, shapes, fine lines and mild noise, so that
    /// decoding and resizing are real work.
    /// </summary>
    /// <param name="format">The encoding.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="quality">JPEG/WebP quality.</param>
    /// <returns>The encoded image.</returns>
    public static byte[] Photo(ThumbnailFormat format, int width, int height, int quality = DefaultEncodeQuality)
    {
        using SKBitmap bitmap = PhotoBitmap(width, height);
        return Encode(bitmap, format, quality);
    }

    /// <summary>The pixels of <see cref="Photo"/>; the caller disposes the bitmap.</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <returns>An opaque RGBA bitmap.</returns>
    public static SKBitmap PhotoBitmap(int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            using var gradient = SKShader.CreateLinearGradient(
                new SKPoint(0, 0),
                new SKPoint(width, height),
                [new SKColor(30, 60, 160), new SKColor(240, 180, 60), new SKColor(40, 160, 90)],
                SKShaderTileMode.Clamp);
            using (var fill = new SKPaint { Shader = gradient })
            {
                canvas.DrawRect(0, 0, width, height, fill);
            }

            using var shape = new SKPaint { IsAntialias = true };
            float unit = Math.Min(width, height);
            shape.Color = new SKColor(250, 250, 245, 220);
            canvas.DrawCircle(width * 0.3f, height * 0.4f, unit * 0.2f, shape);
            shape.Color = new SKColor(20, 20, 30, 200);
            canvas.DrawRect(width * 0.55f, height * 0.2f, width * 0.3f, height * 0.45f, shape);
            shape.Color = new SKColor(200, 30, 40, 230);
            canvas.DrawOval(width * 0.7f, height * 0.75f, unit * 0.18f, unit * 0.1f, shape);
            shape.Color = new SKColor(255, 255, 255, 160);
            shape.StrokeWidth = Math.Max(1, unit / 400);
            for (float x = 0; x < width; x += Math.Max(4, unit / 60))
            {
                canvas.DrawLine(x, 0, x + (height / 3f), height, shape);
            }
        }

        AddNoise(bitmap, amplitude: 6);
        return bitmap;
    }

    /// <summary>
    /// An image with transparency: a transparent background with a half-transparent disc and an opaque square.
    /// </summary>
    /// <param name="format">The encoding (JPEG drops the transparency).</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <returns>The encoded image.</returns>
    public static byte[] Translucent(ThumbnailFormat format, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Transparent);
            using var paint = new SKPaint { IsAntialias = true, Color = new SKColor(0, 0, 255, 128) };
            canvas.DrawCircle(width / 2f, height / 2f, Math.Min(width, height) * 0.4f, paint);
            paint.Color = new SKColor(255, 0, 0, 255);
            canvas.DrawRect(width * 0.4f, height * 0.4f, width * 0.2f, height * 0.2f, paint);
        }

        // Lossless WebP keeps the alpha exact, which makes tests simple; lossy WebP keeps it too.
        return format == ThumbnailFormat.Webp
            ? EncodeData(bitmap, new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100))
            : Encode(bitmap, format, DefaultEncodeQuality);
    }

    /// <summary>
    /// Four solid quadrants in the stored orientation: top-left <see cref="TopLeftColor"/> (red), top-right
    /// <see cref="TopRightColor"/> (green), bottom-left <see cref="BottomLeftColor"/> (blue), bottom-right
    /// <see cref="BottomRightColor"/> (yellow). Where each lands after orientation shows rotation and mirroring.
    /// </summary>
    /// <param name="format">The encoding.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <returns>The encoded image.</returns>
    public static byte[] Quadrants(ThumbnailFormat format, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint())
        {
            float halfWidth = width / 2f;
            float halfHeight = height / 2f;
            paint.Color = TopLeftColor;
            canvas.DrawRect(0, 0, halfWidth, halfHeight, paint);
            paint.Color = TopRightColor;
            canvas.DrawRect(halfWidth, 0, halfWidth, halfHeight, paint);
            paint.Color = BottomLeftColor;
            canvas.DrawRect(0, halfHeight, halfWidth, halfHeight, paint);
            paint.Color = BottomRightColor;
            canvas.DrawRect(halfWidth, halfHeight, halfWidth, halfHeight, paint);
        }

        return Encode(bitmap, format, DefaultEncodeQuality);
    }

    /// <summary>
    /// Inserts a minimal EXIF APP1 segment (<c>Exif\0\0</c>, a big-endian TIFF header and one IFD entry,
    /// Orientation 0x0112) right after the SOI marker of a JPEG. Skia's encoder writes no EXIF of its own.
    /// </summary>
    /// <param name="jpeg">A JPEG file.</param>
    /// <param name="orientation">The EXIF orientation, 1..8 (6 = rotate 90 degrees clockwise to display).</param>
    /// <returns>A new JPEG file with the orientation tag.</returns>
    /// <exception cref="ArgumentException"><paramref name="jpeg"/> does not start with an SOI marker.</exception>
    public static byte[] WithExifOrientation(byte[] jpeg, int orientation)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        ArgumentOutOfRangeException.ThrowIfLessThan(orientation, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(orientation, 8);
        if (jpeg.Length < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new ArgumentException("Not a JPEG: no SOI marker.", nameof(jpeg));
        }

        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0x00, 0x2A, // big-endian TIFF header
            0x00, 0x00, 0x00, 0x08,           // offset of IFD0
            0x00, 0x01,                       // one entry
            0x01, 0x12,                       // tag: Orientation
            0x00, 0x03,                       // type: SHORT
            0x00, 0x00, 0x00, 0x01,           // count: 1
            0x00, (byte)orientation, 0x00, 0x00, // value, left-justified
            0x00, 0x00, 0x00, 0x00,           // no next IFD
        ];
        ReadOnlySpan<byte> exifHeader = "Exif\0\0"u8;
        int segmentLength = 2 + exifHeader.Length + tiff.Length;
        var output = new byte[jpeg.Length + 2 + segmentLength];
        output[0] = 0xFF;
        output[1] = 0xD8;
        output[2] = 0xFF;
        output[3] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(4), (ushort)segmentLength);
        exifHeader.CopyTo(output.AsSpan(6));
        tiff.CopyTo(output.AsSpan(6 + exifHeader.Length));
        jpeg.AsSpan(2).CopyTo(output.AsSpan(4 + segmentLength));
        return output;
    }

    /// <summary>The first half of an encoded image, as an interrupted upload leaves it.</summary>
    /// <param name="image">An encoded image.</param>
    /// <returns>Its first half.</returns>
    public static byte[] Truncated(byte[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.AsSpan(0, image.Length / 2).ToArray();
    }

    /// <summary>A zero-byte file.</summary>
    /// <returns>An empty array.</returns>
    public static byte[] Empty() => [];

    /// <summary>A plain text file.</summary>
    /// <returns>UTF-8 text.</returns>
    public static byte[] Text() =>
        Encoding.UTF8.GetBytes("This is a plain text file, not an image.\nIt has two lines.\n");

    /// <summary>A minimal little-endian TIFF header: a recognised image container the pipeline does not decode.</summary>
    /// <returns>The bytes of a tiny TIFF file.</returns>
    public static byte[] Tiff() =>
    [
        (byte)'I', (byte)'I', 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, // header, IFD0 at 8
        0x00, 0x00,                                               // no entries
        0x00, 0x00, 0x00, 0x00,                                   // no next IFD
    ];

    /// <summary>A 2x2 GIF with a four-color palette (Skia does not encode GIF, so it is written by hand).</summary>
    /// <returns>The GIF file.</returns>
    public static byte[] Gif()
    {
        byte[] pixels = [0, 1, 2, 3];
        var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        gif.Write([2, 0, 2, 0, 0xF1, 0, 0]); // 2x2 screen, global color table of 4 entries
        gif.Write([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0]);
        gif.Write([0x2C, 0, 0, 0, 0, 2, 0, 2, 0, 0]); // image descriptor
        byte[] lzw = GifLzw(pixels, minimumCodeSize: 2);
        gif.WriteByte(2);
        gif.WriteByte((byte)lzw.Length);
        gif.Write(lzw);
        gif.WriteByte(0);
        gif.WriteByte(0x3B);
        return gif.ToArray();
    }

    /// <summary>An uncompressed 24-bit BMP of <see cref="PhotoBitmap"/> (Skia does not encode BMP).</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <returns>The BMP file.</returns>
    public static byte[] Bmp(int width, int height)
    {
        using SKBitmap bitmap = PhotoBitmap(width, height);
        int rowBytes = ((width * 3) + 3) & ~3;
        var bmp = new byte[54 + (rowBytes * height)];
        Span<byte> span = bmp;
        span[0] = (byte)'B';
        span[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(span[2..], bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[10..], 54);
        BinaryPrimitives.WriteInt32LittleEndian(span[14..], 40);
        BinaryPrimitives.WriteInt32LittleEndian(span[18..], width);
        BinaryPrimitives.WriteInt32LittleEndian(span[22..], height); // positive: rows stored bottom-up
        BinaryPrimitives.WriteInt16LittleEndian(span[26..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[28..], 24);
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = span.Slice(54 + ((height - 1 - y) * rowBytes), rowBytes);
            for (int x = 0; x < width; x++)
            {
                SKColor color = bitmap.GetPixel(x, y);
                row[x * 3] = color.Blue;
                row[(x * 3) + 1] = color.Green;
                row[(x * 3) + 2] = color.Red;
            }
        }

        return bmp;
    }

    /// <summary>
    /// A decompression bomb: a PNG of a few hundred bytes whose header (IHDR, with a correct CRC) declares
    /// <paramref name="width"/> by <paramref name="height"/> RGBA pixels (3.6 GB at the default 30000 x 30000),
    /// followed by a tiny compressed IDAT.
    /// </summary>
    /// <param name="width">The declared width.</param>
    /// <param name="height">The declared height.</param>
    /// <returns>The PNG file.</returns>
    public static byte[] DecompressionBomb(int width = 30_000, int height = 30_000)
    {
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 6; // color type: RGBA
        WritePngChunk(png, "IHDR", header);

        // A few zero rows compress to almost nothing; the rest of the image is simply missing.
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(new byte[4 * ((width * 4) + 1)]);
        }

        WritePngChunk(png, "IDAT", compressed.ToArray());
        WritePngChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>
    /// A grayscale zone plate, the classic aliasing test card: concentric rings whose spatial frequency rises
    /// linearly from 0 at the center to 0.5 cycles per pixel (the Nyquist limit) at radius <paramref name="size"/>/2;
    /// outside that circle it is flat mid-gray. A correct downscale to N pixels shows rings only within radius
    /// about N/2 * N/<paramref name="size"/> (output pixels) and flat gray beyond; moiré there is aliasing.
    /// </summary>
    /// <param name="size">Width and height in pixels.</param>
    /// <returns>A lossless grayscale PNG.</returns>
    public static byte[] ZonePlate(int size)
    {
        using SKBitmap bitmap = ZonePlateBitmap(size);
        return Encode(bitmap, ThumbnailFormat.Png, 100);
    }

    /// <summary>The pixels of <see cref="ZonePlate"/> (8-bit gray); the caller disposes the bitmap.</summary>
    /// <param name="size">Width and height in pixels.</param>
    /// <returns>A Gray8 bitmap.</returns>
    public static SKBitmap ZonePlateBitmap(int size)
    {
        var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Gray8, SKAlphaType.Opaque));
        Span<byte> pixels = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes;
        double radius = size / 2.0;

        // Phase k*r^2 has local frequency k*r/pi cycles per pixel: 0.5 at r = radius.
        double k = Math.PI * 0.5 / radius;
        for (int y = 0; y < size; y++)
        {
            double dy = y + 0.5 - radius;
            Span<byte> row = pixels.Slice(y * rowBytes, size);
            for (int x = 0; x < size; x++)
            {
                double dx = x + 0.5 - radius;
                double r2 = (dx * dx) + (dy * dy);
                double value = r2 <= radius * radius ? 0.5 + (0.5 * Math.Cos(k * r2)) : 0.5;
                row[x] = (byte)Math.Round(value * 255);
            }
        }

        return bitmap;
    }

    /// <summary>Encodes a bitmap with Skia.</summary>
    /// <param name="bitmap">The pixels.</param>
    /// <param name="format">The encoding.</param>
    /// <param name="quality">JPEG/WebP quality (PNG is lossless).</param>
    /// <returns>The encoded image.</returns>
    public static byte[] Encode(SKBitmap bitmap, ThumbnailFormat format, int quality = DefaultEncodeQuality)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        return format switch
        {
            ThumbnailFormat.Jpeg => EncodeData(bitmap, new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)),
            ThumbnailFormat.Png => EncodeData(bitmap, new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6)),
            ThumbnailFormat.Webp => EncodeData(bitmap, new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, quality)),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown format."),
        };
    }

    private static byte[] EncodeData(SKBitmap bitmap, SKJpegEncoderOptions options)
    {
        using SKPixmap pixels = bitmap.PeekPixels();
        using SKData? data = pixels.Encode(options);
        return ToArray(data);
    }

    private static byte[] EncodeData(SKBitmap bitmap, SKPngEncoderOptions options)
    {
        using SKPixmap pixels = bitmap.PeekPixels();
        using SKData? data = pixels.Encode(options);
        return ToArray(data);
    }

    private static byte[] EncodeData(SKBitmap bitmap, SKWebpEncoderOptions options)
    {
        using SKPixmap pixels = bitmap.PeekPixels();
        using SKData? data = pixels.Encode(options);
        return ToArray(data);
    }

    private static byte[] ToArray(SKData? data) => data?.ToArray() ?? throw new InvalidOperationException("Skia could not encode the test image.");

    private static void AddNoise(SKBitmap bitmap, int amplitude)
    {
        // A fixed seed keeps every generated image identical from run to run.
        var random = new Random(12345);
        Span<byte> pixels = bitmap.GetPixelSpan();
        var noise = new byte[4096];
        random.NextBytes(noise);
        int n = 0;
        for (int i = 0; i < pixels.Length; i += 4)
        {
            for (int c = 0; c < 3; c++)
            {
                int offset = (noise[n++ & 4095] % ((2 * amplitude) + 1)) - amplitude;
                pixels[i + c] = (byte)Math.Clamp(pixels[i + c] + offset, 0, 255);
            }

            if ((n & 4095) == 0)
            {
                random.NextBytes(noise);
            }
        }
    }

    private static void WritePngChunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        png.Write(crc);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>LZW-compresses indices for GIF with a clear code before every pixel, which needs no code table.</summary>
    private static byte[] GifLzw(byte[] indices, int minimumCodeSize)
    {
        int clear = 1 << minimumCodeSize;
        int end = clear + 1;
        int codeSize = minimumCodeSize + 1;
        var output = new List<byte>();
        int buffer = 0;
        int bits = 0;
        void Emit(int code)
        {
            buffer |= code << bits;
            bits += codeSize;
            while (bits >= 8)
            {
                output.Add((byte)(buffer & 0xFF));
                buffer >>= 8;
                bits -= 8;
            }
        }

        foreach (byte index in indices)
        {
            Emit(clear);
            Emit(index);
        }

        Emit(end);
        if (bits > 0)
        {
            output.Add((byte)(buffer & 0xFF));
        }

        return [.. output];
    }
}
