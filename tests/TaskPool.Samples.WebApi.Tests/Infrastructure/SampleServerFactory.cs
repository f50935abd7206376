using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskPool.Samples.WebApi.Tests.Infrastructure;

/// <summary>
/// The sample server (samples/WebApi) in process: on the in-memory TestServer, or on the real Kestrel on 127.0.0.1 and a free port.
/// Unless a test says otherwise, PBKDF2 runs 1,000 iterations (where the count itself is not under test): 220,000 would cost ~150 ms
/// of CPU per hash on the 2-core CI machine.
/// </summary>
public sealed class SampleServerFactory : WebApplicationFactory<Program>
{
    /// <summary>Settings that keep PBKDF2 cheap: 1,000 iterations for new hashes, 100..20,000 accepted by /verify.</summary>
    public static readonly IReadOnlyDictionary<string, string?> FastHashing = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["Hashing:Iterations"] = "1000",
        ["Hashing:MinIterations"] = "100",
        ["Hashing:MaxIterations"] = "20000",
    };

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;

    public SampleServerFactory()
        : this(FastHashing)
    {
    }

    internal SampleServerFactory(IReadOnlyDictionary<string, string?> settings, bool useKestrel = false, Action<IServiceCollection>? configureServices = null)
    {
        _settings = new Dictionary<string, string?>(settings, StringComparer.Ordinal);
        _settings.TryAdd("Shutdown:ReadinessDelay", "00:00:00"); // in-process tests stop the host and expect the drain at once
        _configureServices = configureServices;
        if (useKestrel)
        {
            UseKestrel(static options => options.Listen(IPAddress.Loopback, 0));
        }
    }

    /// <summary>Settings made of <see cref="FastHashing"/> and <paramref name="overrides"/>.</summary>
    public static Dictionary<string, string?> FastHashingWith(params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>(FastHashing, StringComparer.Ordinal);
        foreach ((string key, string? value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Starts Kestrel (when this factory uses it) and returns its http://127.0.0.1:port address.</summary>
    public Uri StartKestrel()
    {
        StartServer();
        string address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new Uri(address);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(static logging => logging.ClearProviders());
        if (_configureServices is not null)
        {
            builder.ConfigureServices(_configureServices);
        }
    }
}
