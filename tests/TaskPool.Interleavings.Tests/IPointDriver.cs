namespace TaskPool.Interleavings.Tests;

/// <summary>Decides what a thread does when it reaches a schedule point: go on, pause, yield or sleep.</summary>
internal interface IPointDriver
{
    void OnReached(string point);
}
