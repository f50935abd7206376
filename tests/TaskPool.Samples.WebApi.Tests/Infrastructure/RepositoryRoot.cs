namespace TaskPool.Samples.WebApi.Tests.Infrastructure;

/// <summary>The checkout the tests run from: the first folder above the test's output folder that holds TaskPool.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "TaskPool.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("TaskPool.sln not found above " + AppContext.BaseDirectory);
    }
}
