using System.Buffers;
using System.Numerics;
using SkiaSharp;

namespace TaskPool.Samples.Imaging;

/// <summary>
/// A separable Lanczos-3 resampler for 8-bit, four-channel, premultiplied (or opaque) pixels.
/// Unlike Skia's cubic sampler, it widens its kernel by the downscale factor, so it low-passes before it
/// subsamples: detail finer than the output can show turns to flat gray instead of moiré. Its cost grows
/// with the downscale factor, which is why the pipeline first shrinks cheaply (scaled decode, 2x2 box
/// halving) to within 2..4 times the output size.
/// </summary>
internal static class LanczosResampler
{
    private const double Lobes = 3.0;

    /// <summary>
    /// Resamples <paramref name="region"/> of <paramref name="source"/> (in source pixel coordinates) to fill all of
    /// <paramref name="destination"/>. Both hold 4 bytes per pixel with alpha last (RGBA or BGRA).
    /// </summary>
    public static void Resample(SKPixmap source, SKRect region, SKPixmap destination, CancellationToken cancellationToken)
    {
        int destinationWidth = destination.Width;
        int destinationHeight = destination.Height;
        WeightTable columns = WeightTable.Create(source.Width, region.Left, region.Width, destinationWidth);
        WeightTable rows = WeightTable.Create(source.Height, region.Top, region.Height, destinationHeight);
        int firstColumn = columns.Starts[0];
        int columnCount = columns.Starts[destinationWidth - 1] + columns.Counts[destinationWidth - 1] - firstColumn;

        // Horizontally resampled source rows, kept in a ring just large enough for one output row's taps.
        int ringRows = rows.MaxTaps;
        ArrayPool<Vector4> pool = ArrayPool<Vector4>.Shared;
        Vector4[] ring = pool.Rent(ringRows * destinationWidth);
        Vector4[] sourceLine = pool.Rent(columnCount);
        Vector4[] outputLine = pool.Rent(destinationWidth);
        try
        {
            ReadOnlySpan<byte> sourcePixels = source.GetPixelSpan();
            Span<byte> destinationPixels = destination.GetPixelSpan();
            int sourceStride = source.RowBytes;
            int destinationStride = destination.RowBytes;
            int nextSourceRow = 0;
            for (int y = 0; y < destinationHeight; y++)
            {
                if ((y & 15) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                int firstRow = rows.Starts[y];
                int rowCount = rows.Counts[y];
                for (int r = Math.Max(firstRow, nextSourceRow); r < firstRow + rowCount; r++)
                {
                    ReadOnlySpan<byte> sourceRow = sourcePixels.Slice((r * sourceStride) + (firstColumn * 4), columnCount * 4);
                    Widen(sourceRow, sourceLine.AsSpan(0, columnCount));
                    ResampleLine(sourceLine.AsSpan(0, columnCount), columns, firstColumn, ring.AsSpan(r % ringRows * destinationWidth, destinationWidth));
                    nextSourceRow = r + 1;
                }

                Span<Vector4> output = outputLine.AsSpan(0, destinationWidth);
                output.Clear();
                ReadOnlySpan<float> weights = rows.WeightsOf(y);
                for (int k = 0; k < rowCount; k++)
                {
                    float weight = weights[k];
                    ReadOnlySpan<Vector4> line = ring.AsSpan((firstRow + k) % ringRows * destinationWidth, destinationWidth);
                    for (int x = 0; x < output.Length; x++)
                    {
                        output[x] += line[x] * weight;
                    }
                }

                Narrow(output, destinationPixels.Slice(y * destinationStride, destinationWidth * 4));
            }
        }
        finally
        {
            pool.Return(ring);
            pool.Return(sourceLine);
            pool.Return(outputLine);
        }
    }

    private static void Widen(ReadOnlySpan<byte> pixels, Span<Vector4> line)
    {
        for (int i = 0, j = 0; i < line.Length; i++, j += 4)
        {
            line[i] = new Vector4(pixels[j], pixels[j + 1], pixels[j + 2], pixels[j + 3]);
        }
    }

    private static void ResampleLine(ReadOnlySpan<Vector4> line, WeightTable columns, int firstColumn, Span<Vector4> output)
    {
        for (int x = 0; x < output.Length; x++)
        {
            ReadOnlySpan<Vector4> taps = line.Slice(columns.Starts[x] - firstColumn, columns.Counts[x]);
            ReadOnlySpan<float> weights = columns.WeightsOf(x);
            Vector4 sum = Vector4.Zero;
            for (int k = 0; k < taps.Length; k++)
            {
                sum += taps[k] * weights[k];
            }

            output[x] = sum;
        }
    }

    private static void Narrow(ReadOnlySpan<Vector4> line, Span<byte> pixels)
    {
        // Lanczos lobes overshoot: clamp alpha to 0..255 and each premultiplied color to 0..alpha.
        for (int i = 0, j = 0; i < line.Length; i++, j += 4)
        {
            Vector4 p = line[i];
            float alpha = Math.Clamp(p.W, 0f, 255f);
            pixels[j] = (byte)(Math.Clamp(p.X, 0f, alpha) + 0.5f);
            pixels[j + 1] = (byte)(Math.Clamp(p.Y, 0f, alpha) + 0.5f);
            pixels[j + 2] = (byte)(Math.Clamp(p.Z, 0f, alpha) + 0.5f);
            pixels[j + 3] = (byte)(alpha + 0.5f);
        }
    }

    private static double Kernel(double x)
    {
        x = Math.Abs(x);
        if (x < 1e-9)
        {
            return 1;
        }

        if (x >= Lobes)
        {
            return 0;
        }

        double px = Math.PI * x;
        return Lobes * Math.Sin(px) * Math.Sin(px / Lobes) / (px * px);
    }

    /// <summary>For each output pixel along one axis: the first source pixel, how many, and their normalised weights.</summary>
    private sealed class WeightTable
    {
        private readonly float[] _weights;

        private WeightTable(int[] starts, int[] counts, float[] weights, int maxTaps)
        {
            Starts = starts;
            Counts = counts;
            _weights = weights;
            MaxTaps = maxTaps;
        }

        public int[] Starts { get; }

        public int[] Counts { get; }

        public int MaxTaps { get; }

        public ReadOnlySpan<float> WeightsOf(int index) => _weights.AsSpan(index * MaxTaps, Counts[index]);

        public static WeightTable Create(int sourceSize, double regionStart, double regionLength, int destinationSize)
        {
            double scale = regionLength / destinationSize;
            double filterScale = Math.Max(scale, 1.0);
            double support = Lobes * filterScale;
            int maxTaps = Math.Min(sourceSize, ((int)Math.Ceiling(support) * 2) + 1);
            var starts = new int[destinationSize];
            var counts = new int[destinationSize];
            var weights = new float[destinationSize * maxTaps];
            for (int i = 0; i < destinationSize; i++)
            {
                double center = regionStart + ((i + 0.5) * scale);
                int first = Math.Clamp((int)Math.Floor(center - support + 0.5), 0, sourceSize - 1);
                int end = Math.Clamp((int)Math.Floor(center + support + 0.5), first + 1, sourceSize);
                end = Math.Min(end, first + maxTaps);
                double sum = 0;
                for (int j = first; j < end; j++)
                {
                    sum += Kernel((j + 0.5 - center) / filterScale);
                }

                for (int j = first; j < end; j++)
                {
                    weights[(i * maxTaps) + j - first] = sum > 1e-9
                        ? (float)(Kernel((j + 0.5 - center) / filterScale) / sum)
                        : 1f / (end - first);
                }

                starts[i] = first;
                counts[i] = end - first;
            }

            return new WeightTable(starts, counts, weights, maxTaps);
        }
    }
}
