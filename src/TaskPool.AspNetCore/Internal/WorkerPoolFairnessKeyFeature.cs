using System.Diagnostics;

namespace TaskPool.AspNetCore.Internal;

/// <summary>The request's fairness key, as the capacity filter's selector chose it, for <c>HttpContext.GetWorkerPoolFairnessKey()</c>.</summary>
[DebuggerDisplay("FairnessKey = {FairnessKey}")]
internal sealed class WorkerPoolFairnessKeyFeature(string? fairnessKey)
{
    public string? FairnessKey { get; } = fairnessKey;
}
