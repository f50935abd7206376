using System.Globalization;
using TaskPool.Samples.Imaging;
using TaskPool.Samples.Imaging.Testing;

// Usage: ThumbnailImageSet <output-dir> <count> <width> <height> [distinct]
// Writes <count> JPEG photos (TestImages.Photo, quality 90): <distinct> different images (their widths differ by 8 px),
// repeated by copying the files, so that a large set is quick to make.
if (args.Length is < 4 or > 5)
{
    Console.Error.WriteLine("usage: ThumbnailImageSet <output-dir> <count> <width> <height> [distinct]");
    return 1;
}

string output = args[0];
int count = int.Parse(args[1], CultureInfo.InvariantCulture);
int width = int.Parse(args[2], CultureInfo.InvariantCulture);
int height = int.Parse(args[3], CultureInfo.InvariantCulture);
int distinct = Math.Min(count, args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 10);
Directory.CreateDirectory(output);
var originals = new string[distinct];
Parallel.For(0, distinct, i =>
{
    originals[i] = Path.Combine(output, string.Create(CultureInfo.InvariantCulture, $"photo{i:D5}.jpg"));
    File.WriteAllBytes(originals[i], TestImages.Photo(ThumbnailFormat.Jpeg, width + (8 * i), height));
});

for (int i = distinct; i < count; i++)
{
    File.Copy(originals[i % distinct], Path.Combine(output, string.Create(CultureInfo.InvariantCulture, $"photo{i:D5}.jpg")), overwrite: true);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} JPEG photos of about {width}x{height} ({distinct} distinct) in {output}"));
return 0;
