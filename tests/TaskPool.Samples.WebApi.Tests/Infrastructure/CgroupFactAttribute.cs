namespace TaskPool.Samples.WebApi.Tests.Infrastructure;

/// <summary>
/// A test that runs a process under a cgroup CPU quota (<see cref="CpuQuotaCgroup"/>). It is skipped, with the reason, where no such cgroup
/// can be created: not Linux, not root, a read-only <c>/sys/fs/cgroup</c>, no cpu controller, or <c>DOTNET_PROCESSOR_COUNT</c> set.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CgroupFactAttribute : FactAttribute
{
    public CgroupFactAttribute()
    {
        if (CpuQuotaCgroup.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
