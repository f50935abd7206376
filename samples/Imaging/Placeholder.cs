namespace TaskPool.Samples.Imaging;

internal static class Placeholder
{
}
