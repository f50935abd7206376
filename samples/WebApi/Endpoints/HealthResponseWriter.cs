using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TaskPool.Samples.WebApi.Endpoints;

/// <summary>Writes a <see cref="HealthReport"/> as JSON: the overall status, then each check's status, description and data (the pool's stats).</summary>
internal static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new
        {
            status = report.Status.ToString(),
            totalDuration = report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.ToDictionary(
                static e => e.Key,
                static e => new
                {
                    status = e.Value.Status.ToString(),
                    description = e.Value.Description,
                    data = e.Value.Data,
                },
                StringComparer.Ordinal),
        };
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, JsonSerializerOptions.Web, context.RequestAborted);
    }
}
