using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace TaskPool.Samples.WebApi;

/// <summary>
/// OpenTelemetry wiring, off unless an exporter is configured: <c>Telemetry:ConsoleExporter=true</c> prints spans to the console;
/// <c>Telemetry:OtlpEndpoint</c> (or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) sends spans and the TaskPool metrics over OTLP.
/// Spans: ASP.NET Core's request span, with one child span per pool job (queue wait and run time as attributes, outcome as status).
/// </summary>
internal static class SampleTelemetry
{
    public static WebApplicationBuilder AddSampleTelemetry(this WebApplicationBuilder builder)
    {
        IConfigurationSection section = builder.Configuration.GetSection("Telemetry");
        bool console = section.GetValue<bool>("ConsoleExporter");
        string? otlp = section["OtlpEndpoint"];
        if (string.IsNullOrWhiteSpace(otlp))
        {
            otlp = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        }

        bool useOtlp = !string.IsNullOrWhiteSpace(otlp);
        if (!console && !useOtlp)
        {
            return builder; // nobody listens: the pool starts no spans and pays nothing
        }

        Uri? endpoint = useOtlp ? new Uri(otlp!, UriKind.Absolute) : null;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(static r => r.AddService("TaskPool.Samples.WebApi"))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation().AddSource(WorkerPool.ActivitySourceName);
                if (console)
                {
                    tracing.AddConsoleExporter();
                }

                if (endpoint is not null)
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = endpoint);
                }
            })
            .WithMetrics(metrics =>
            {
                if (endpoint is not null)
                {
                    metrics.AddAspNetCoreInstrumentation().AddOtlpExporter(o => o.Endpoint = endpoint); // the TaskPool meter: SampleMetrics
                }
            });
        return builder;
    }
}
