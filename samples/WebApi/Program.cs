// The sample server: PBKDF2 password hashing, HMAC signing and thumbnails on worker pools, so that CPU-heavy requests never starve cheap ones.
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TaskPool.AspNetCore;
using TaskPool.Isolation;
using TaskPool.Samples.WebApi;
using TaskPool.Samples.WebApi.Demo;
using TaskPool.Samples.WebApi.Endpoints;
using TaskPool.Samples.Imaging;
using TaskPool.Samples.WebApi.Hashing;
using TaskPool.Samples.WebApi.Signing;
using TaskPool.Samples.WebApi.Thumbnails;

// With Thumbnails:Isolation=Process this program is also the thumbnail child process: there it serves jobs and never returns.
ProcessWorkerHost.RunIfWorker(args, static registry => registry.Map(ThumbnailJob.JobName, ThumbnailJob.Run));

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);

// Pools: the default one (section "WorkerPool") hashes passwords; "images" (section "ImagesPool") makes thumbnails. Both fail start-up on a bad setting.
builder.Services.AddWorkerPool(builder.Configuration.GetSection(WorkerPoolDefaults.ConfigurationSectionName));
builder.Services.AddWorkerPool(ThumbnailEndpoints.PoolName, builder.Configuration.GetSection("ImagesPool"));
builder.Services.AddHealthChecks()
    .AddWorkerPoolReadinessCheck(tags: ["ready"])
    .AddWorkerPoolHealthCheck(tags: ["ready"])
    .AddWorkerPoolHealthCheck(ThumbnailEndpoints.PoolName, tags: ["ready"]);

// Rolling deploys: on SIGTERM /health/ready answers 503 at once, the server keeps serving for Shutdown:ReadinessDelay (default 5 s,
// the time a load balancer needs to notice), then the pools drain. Shutdown__ReadinessDelay=00:00:00 drains at once.
builder.Services.ConfigureWorkerPoolShutdown(
    builder.Configuration.GetSection(WorkerPoolShutdownOptions.ConfigurationSectionName), defaultReadinessDelay: TimeSpan.FromSeconds(5));

builder.Services.AddOptions<HashingOptions>().BindConfiguration(HashingOptions.SectionName).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<HashingOptions>, HashingOptionsValidator>();
builder.Services.AddSingleton<Pbkdf2PasswordHasher>();
builder.Services.AddOptions<SigningOptions>().BindConfiguration(SigningOptions.SectionName)
    .Validate(static s => string.IsNullOrEmpty(s.Key) || s.DecodeKey() is { Length: >= SigningOptions.MinKeyBytes }, $"Signing:Key must be Base64 of at least {SigningOptions.MinKeyBytes} bytes, or empty for a random key.")
    .ValidateOnStart();
builder.Services.AddSingleton<HmacSigner>();
builder.Services.AddOptions<ThumbnailSettings>().BindConfiguration(ThumbnailSettings.SectionName)
    .Validate(static s => s.MaxRequestBytes is > 0 and <= int.MaxValue, "Thumbnails:MaxRequestBytes must be between 1 and 2147483647.")
    .Validate(static s => s.MaxPixels > 0, "Thumbnails:MaxPixels must be positive.")
    .Validate(static s => Enum.IsDefined(s.Isolation), "Thumbnails:Isolation must be Thread or Process.")
    .Validate(static s => Enum.IsDefined(s.Engine), "Thumbnails:Engine must be Vips or Skia.")
    .Validate(static s => s.ProcessCount is > 0 and <= 64, "Thumbnails:ProcessCount must be between 1 and 64.")
    .ValidateOnStart();
if (builder.Configuration.GetValue(ThumbnailSettings.SectionName + ":" + nameof(ThumbnailSettings.Isolation), ThumbnailIsolation.Thread) == ThumbnailIsolation.Process)
{
    builder.Services.AddSingleton<ThumbnailProcessLane>();
    builder.Services.AddHostedService(static sp => sp.GetRequiredService<ThumbnailProcessLane>());
}

// The page's flood demo (/demo/flood): on in Development only (Demo:Enabled). After the pools, so that a flood ends before they drain.
builder.Services.AddFloodDemo();

builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(static o => o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);
builder.AddSampleTelemetry();
builder.AddSampleMetrics();

WebApplication app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages(); // empty 4xx/5xx answers (a body that is not JSON, a body over the limit) get a ProblemDetails body
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapStatsEndpoints();
app.MapHashEndpoints();
app.MapSignEndpoints();
app.MapThumbnailEndpoints();
app.MapDemoEndpoints(); // maps nothing unless Demo:Enabled
app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync });
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = static _ => false }); // liveness: the process answers
app.MapHealthChecks("/health/ready", new HealthCheckOptions
{
    Predicate = static check => check.Tags.Contains("ready"), // started, not stopping, no pool past its stuck-worker bound
    ResponseWriter = HealthResponseWriter.WriteAsync,
});
app.MapSampleMetrics(); // GET /metrics: Prometheus text (taskpool_queue_depth, taskpool_jobs_completed_total, ...)

app.Run();

/// <summary>The sample server's entry point (public for WebApplicationFactory).</summary>
public partial class Program;
