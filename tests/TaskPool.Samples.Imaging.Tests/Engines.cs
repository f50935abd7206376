namespace TaskPool.Samples.Imaging.Tests;

/// <summary>Theory data over the thumbnail engines, so that the same test holds both to the same contract.</summary>
internal static class Engines
{
    /// <summary>Every engine.</summary>
    public static TheoryData<ThumbnailEngine> All() => new(Enum.GetValues<ThumbnailEngine>());

    /// <summary>Every engine with every value of <paramref name="values"/>.</summary>
    public static TheoryData<ThumbnailEngine, T> Times<T>(params T[] values)
    {
        var data = new TheoryData<ThumbnailEngine, T>();
        foreach (ThumbnailEngine engine in Enum.GetValues<ThumbnailEngine>())
        {
            foreach (T value in values)
            {
                data.Add(engine, value);
            }
        }

        return data;
    }
}
