using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskPool.Samples.WebApi.Tests.Infrastructure;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>The sample's real iteration settings (no overrides): these tests pay for a few full-cost PBKDF2 derivations.</summary>
public sealed class DefaultHashingTests : IClassFixture<DefaultHashingTests.DefaultSettingsFactory>
{
    private readonly DefaultSettingsFactory _factory;

    public DefaultHashingTests(DefaultSettingsFactory factory) => _factory = factory;

    [Fact]
    public async Task Hash_DefaultSettings_Uses220000Iterations()
    {
        using HttpClient client = _factory.CreateClient();

        string hash = await HashEndpointTests.HashAsync(client, "p@ss");

        Assert.StartsWith("$pbkdf2-sha512$i=220000$", hash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DefaultSettingsAndA210000IterationHash_ValidAndRehashedTo220000()
    {
        using HttpClient client = _factory.CreateClient();

        JsonElement result = await VerifyEndpointTests.VerifyOkAsync(client, "p@ss", VerifyEndpointTests.Encode("p@ss", 210_000));

        Assert.True(result.GetProperty("valid").GetBoolean());
        Assert.StartsWith("$pbkdf2-sha512$i=220000$", result.GetProperty("rehash").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DefaultSettingsAndBillionIterations_Returns400WithoutDerivingAnything()
    {
        using HttpClient client = _factory.CreateClient();
        string hash = VerifyEndpointTests.Encode("p@ss", 1000).Replace("i=1000", "i=1000000000", StringComparison.Ordinal);

        using HttpResponseMessage response = await client.PostAsJsonAsync("/verify", new { password = "p@ss", hash });

        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/stats")).GetProperty("default").GetProperty("rejected").GetInt64());
    }

    public sealed class DefaultSettingsFactory : IDisposable
    {
        private readonly SampleServerFactory _factory = new(new Dictionary<string, string?>());

        public HttpClient CreateClient() => _factory.CreateClient();

        public void Dispose() => _factory.Dispose();
    }
}
