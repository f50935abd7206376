using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TaskPool.AspNetCore.Internal;

/// <summary>Gives every registered pool its registration name, and the container's <see cref="IMeterFactory"/> and <see cref="ILoggerFactory"/>.</summary>
internal sealed class WorkerPoolOptionsSetup : IPostConfigureOptions<WorkerPoolOptions>
{
    private readonly HashSet<string> _names;
    private readonly IMeterFactory? _meterFactory;
    private readonly ILoggerFactory? _loggerFactory;

    public WorkerPoolOptionsSetup(IEnumerable<WorkerPoolRegistration> registrations, IMeterFactory? meterFactory = null, ILoggerFactory? loggerFactory = null)
    {
        _names = new HashSet<string>(registrations.Select(static r => r.Name), StringComparer.Ordinal);
        _meterFactory = meterFactory;
        _loggerFactory = loggerFactory;
    }

    public void PostConfigure(string? name, WorkerPoolOptions options)
    {
        if (name is null || !_names.Contains(name))
        {
            return;
        }

        options.Name = name; // the registration name is the pool's name, its options name and its metrics tag
        options.MeterFactory ??= _meterFactory;
        options.LoggerFactory ??= _loggerFactory;
    }
}
