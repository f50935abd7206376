using Microsoft.Extensions.Options;

namespace TaskPool.Samples.WebApi.Demo;

/// <summary>Registers the flood demo: <see cref="DemoOptions"/> (validated at start-up) and <see cref="FloodRunner"/>.</summary>
internal static class DemoServiceCollectionExtensions
{
    /// <summary>Call after <c>AddWorkerPool</c>: hosted services stop in reverse order, so the flood then ends before the pools drain.</summary>
    public static IServiceCollection AddFloodDemo(this IServiceCollection services)
    {
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DemoOptions>, DemoOptionsValidator>();
        services.AddSingleton<FloodRunner>();
        services.AddHostedService(static sp => sp.GetRequiredService<FloodRunner>());
        return services;
    }
}
