using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskPool;
using TaskPool.AspNetCore;
using TaskPool.AspNetCore.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="WorkerPool"/>s in an <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// <para>
/// Each pool has a name. Its settings are the <see cref="WorkerPoolOptions"/> of that name (options pattern), validated when the host starts
/// (<c>ValidateOnStart</c>): an invalid setting fails start-up with a message that names it. The pool is created when the host starts,
/// resolved through <see cref="IWorkerPoolProvider"/> or as a keyed <see cref="WorkerPool"/> service under its name (the default pool
/// also as the unkeyed <see cref="WorkerPool"/> service), and drained when the host stops (SIGTERM, Ctrl+C, <c>StopApplication</c>).
/// </para>
/// <para>
/// The drain begins before the server stops: from then on the pools refuse new jobs (endpoints behind <c>RequireWorkerPoolCapacity</c>
/// answer 503 with <c>Retry-After</c>; the pool health check reports its failure status, so readiness probes take the instance out of
/// rotation), while every job already queued still runs. Its deadline is the host's shutdown timeout (<c>HostOptions.ShutdownTimeout</c>)
/// less a reserve for answering canceled requests (a tenth of it, at least 500 ms but at most half of it, and never more than two seconds): then the jobs still queued complete as canceled, running jobs see their token
/// canceled, and their requests have the reserve to answer 503 before the server aborts what remains. No accepted request is dropped silently.
/// </para>
/// <para>
/// Calling <c>AddWorkerPool</c> twice with the same name configures one pool: the configuration callbacks of both calls apply.
/// The name always wins over <see cref="WorkerPoolOptions.Name"/>, and the container's <see cref="System.Diagnostics.Metrics.IMeterFactory"/>
/// and <see cref="Logging.ILoggerFactory"/> are used unless <see cref="WorkerPoolOptions.MeterFactory"/> or <see cref="WorkerPoolOptions.LoggerFactory"/> is set.
/// </para>
/// </remarks>
public static class WorkerPoolServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default pool (<see cref="WorkerPoolDefaults.PoolName"/>) with settings bound from <paramref name="configuration"/>,
    /// typically <c>builder.Configuration.GetSection("WorkerPool")</c>: keys <c>WorkerCount</c>, <c>QueueCapacity</c>, <c>FullMode</c>
    /// (<c>Wait</c> or <c>Reject</c>), <c>FlowExecutionContext</c>, <c>SpinBeforeParking</c>, <c>JobTimeout</c>, <c>StuckJobGracePeriod</c>,
    /// <c>MaxStuckWorkerReplacements</c>, <c>PriorityAging</c>, <c>MaxQueuedPerKey</c> (time spans as <c>hh:mm:ss.fff</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section that holds the pool's settings.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is null.</exception>
    public static IServiceCollection AddWorkerPool(this IServiceCollection services, IConfiguration configuration)
        => services.AddWorkerPool(WorkerPoolDefaults.PoolName, configuration);

    /// <summary>Registers the default pool (<see cref="WorkerPoolDefaults.PoolName"/>), configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the pool's options.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    public static IServiceCollection AddWorkerPool(this IServiceCollection services, Action<WorkerPoolOptions> configure)
        => services.AddWorkerPool(WorkerPoolDefaults.PoolName, configure);

    /// <summary>Registers the pool named <paramref name="name"/> with settings bound from <paramref name="configuration"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The pool's name: its keyed-service key, its options name, its thread names and its metrics tag.</param>
    /// <param name="configuration">The configuration section that holds the pool's settings, for example <c>WorkerPools:images</c>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public static IServiceCollection AddWorkerPool(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configuration);

        string? path = (configuration as IConfigurationSection)?.Path;
        AddPool(services, name, path).Bind(configuration);
        return services;
    }

    /// <summary>Registers the pool named <paramref name="name"/>, configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The pool's name: its keyed-service key, its options name, its thread names and its metrics tag.</param>
    /// <param name="configure">Sets the pool's options.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public static IServiceCollection AddWorkerPool(this IServiceCollection services, string name, Action<WorkerPoolOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);

        AddPool(services, name, configurationPath: null).Configure(configure);
        return services;
    }

    /// <summary>
    /// Binds the <see cref="WorkerPoolShutdownOptions"/> (key <c>ReadinessDelay</c>, a time span such as <c>00:00:05</c>) from
    /// <paramref name="configuration"/>, typically <c>builder.Configuration.GetSection("Shutdown")</c>. When the host stops, readiness
    /// (<c>AddWorkerPoolReadinessCheck</c>) turns unhealthy at once, the instance keeps serving for the delay, then the pools drain;
    /// the host's <c>ShutdownTimeout</c> is raised by the delay.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section that holds the settings.</param>
    /// <param name="defaultReadinessDelay">The delay when the configuration does not set one. Default none.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is null.</exception>
    public static IServiceCollection ConfigureWorkerPoolShutdown(this IServiceCollection services, IConfiguration configuration, TimeSpan? defaultReadinessDelay = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        AddCore(services);
        OptionsBuilder<WorkerPoolShutdownOptions> options = services.AddOptions<WorkerPoolShutdownOptions>();
        if (defaultReadinessDelay is { } delay)
        {
            options.Configure(o => o.ReadinessDelay = delay);
        }

        options.Bind(configuration)
            .Validate(static o => o.ReadinessDelay >= TimeSpan.Zero, "Shutdown:ReadinessDelay must not be negative.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>Sets the <see cref="WorkerPoolShutdownOptions"/> in code: see the overload that binds them from configuration.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    public static IServiceCollection ConfigureWorkerPoolShutdown(this IServiceCollection services, Action<WorkerPoolShutdownOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        AddCore(services);
        services.AddOptions<WorkerPoolShutdownOptions>().Configure(configure)
            .Validate(static o => o.ReadinessDelay >= TimeSpan.Zero, "WorkerPoolShutdownOptions.ReadinessDelay must not be negative.")
            .ValidateOnStart();
        return services;
    }

    private static OptionsBuilder<WorkerPoolOptions> AddPool(IServiceCollection services, string name, string? configurationPath)
    {
        AddCore(services);

        OptionsBuilder<WorkerPoolOptions> options = services.AddOptions<WorkerPoolOptions>(name);
        if (!IsRegistered(services, name))
        {
            services.AddSingleton(new WorkerPoolRegistration(name, configurationPath));
            services.AddSingleton<IValidateOptions<WorkerPoolOptions>>(new WorkerPoolOptionsValidator(name, configurationPath));
            options.ValidateOnStart();
            services.AddKeyedSingleton<WorkerPool>(name, static (sp, key) => sp.GetRequiredService<IWorkerPoolProvider>().GetPool((string)key!));
            if (name == WorkerPoolDefaults.PoolName)
            {
                services.TryAddSingleton<WorkerPool>(static sp => sp.GetRequiredService<IWorkerPoolProvider>().GetPool(WorkerPoolDefaults.PoolName));
            }
        }

        return options;
    }

    private static void AddCore(IServiceCollection services)
    {
        services.AddOptions();
        services.AddMetrics();
        services.TryAddSingleton<WorkerPoolProvider>();
        services.TryAddSingleton<IWorkerPoolProvider>(static sp => sp.GetRequiredService<WorkerPoolProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<WorkerPoolOptions>, WorkerPoolOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WorkerPoolHostedService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<HostOptions>, WorkerPoolHostOptionsSetup>());
    }

    private static bool IsRegistered(IServiceCollection services, string name)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(WorkerPoolRegistration)
                && descriptor.ImplementationInstance is WorkerPoolRegistration registration
                && registration.Name == name)
            {
                return true;
            }
        }

        return false;
    }
}
