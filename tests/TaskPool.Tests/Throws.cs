namespace TaskPool.Tests;

internal static class Throws
{
    /// <summary>Throws <paramref name="exception"/> from an expression that must have a type.</summary>
    public static T Value<T>(Exception exception) => throw exception;
}
