using System.Buffers.Binary;

namespace TaskPool.Samples.Imaging;

/// <summary>
/// Recognises image containers by their first bytes, for the inputs Skia refuses to open: a known container
/// that Skia decodes means a damaged header; one that it does not decode means an unsupported format.
/// </summary>
internal static class ImageContainerSniffer
{
    /// <summary>
    /// The container's name, or null when the bytes look like no image container at all.
    /// <paramref name="decodable"/> tells whether the pipeline decodes that container.
    /// </summary>
    public static string? Identify(ReadOnlySpan<byte> data, out bool decodable)
    {
        decodable = true;
        if (Starts(data, [0xFF, 0xD8, 0xFF]))
        {
            return "JPEG";
        }

        if (Starts(data, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "PNG";
        }

        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return "GIF";
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return "WebP";
        }

        if (IsBmp(data))
        {
            return "BMP";
        }

        if (data.Length >= 6 && Starts(data, [0, 0]) && data[2] is 1 or 2 && data[3] == 0 && data[5] == 0 && data[4] != 0)
        {
            return data[2] == 1 ? "ICO" : "CUR";
        }

        decodable = false;
        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8) || data.StartsWith("II+\0"u8) || data.StartsWith("MM\0+"u8))
        {
            return "TIFF";
        }

        if (data.Length >= 12 && data[4..8].SequenceEqual("ftyp"u8))
        {
            ReadOnlySpan<byte> brand = data[8..12];
            if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8))
            {
                return "AVIF";
            }

            if (brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("hevc"u8)
                || brand.SequenceEqual("hevx"u8) || brand.SequenceEqual("heim"u8) || brand.SequenceEqual("heis"u8)
                || brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("msf1"u8))
            {
                return "HEIF";
            }
        }

        if (Starts(data, [0xFF, 0x0A]) || Starts(data, [0, 0, 0, 0x0C, (byte)'J', (byte)'X', (byte)'L', (byte)' ']))
        {
            return "JPEG XL";
        }

        if (Starts(data, [0, 0, 0, 0x0C, (byte)'j', (byte)'P', (byte)' ', (byte)' ']) || Starts(data, [0xFF, 0x4F, 0xFF, 0x51]))
        {
            return "JPEG 2000";
        }

        if (data.StartsWith("8BPS"u8))
        {
            return "Photoshop (PSD)";
        }

        if (Starts(data, [0x76, 0x2F, 0x31, 0x01]))
        {
            return "OpenEXR";
        }

        if (data.StartsWith("qoif"u8))
        {
            return "QOI";
        }

        if (LooksLikeSvg(data))
        {
            return "SVG";
        }

        return null;
    }

    private static bool Starts(ReadOnlySpan<byte> data, ReadOnlySpan<byte> prefix) => data.StartsWith(prefix);

    private static bool IsBmp(ReadOnlySpan<byte> data)
    {
        if (!data.StartsWith("BM"u8))
        {
            return false;
        }

        // "BM" alone is too weak (plain text may start with it): when the DIB header size is present, it must be a known one.
        if (data.Length < 18)
        {
            return true;
        }

        uint dibHeaderSize = BinaryPrimitives.ReadUInt32LittleEndian(data[14..18]);
        return dibHeaderSize is 12 or 16 or 40 or 52 or 56 or 64 or 108 or 124;
    }

    private static bool LooksLikeSvg(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> head = data[..Math.Min(data.Length, 1024)];
        int start = 0;
        while (start < head.Length && head[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
        {
            start++;
        }

        head = head[start..];
        return (head.StartsWith("<svg"u8) || head.StartsWith("<?xml"u8)) && head.IndexOf("<svg"u8) >= 0;
    }
}
