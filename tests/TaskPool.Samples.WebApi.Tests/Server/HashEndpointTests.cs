using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TaskPool.Samples.WebApi.Tests.Infrastructure;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>POST /hash on the sample server, with PBKDF2 at 1,000 iterations (the count itself is tested in <see cref="DefaultHashingTests"/>).</summary>
public sealed class HashEndpointTests : IClassFixture<SampleServerFactory>
{
    private readonly SampleServerFactory _factory;

    public HashEndpointTests(SampleServerFactory factory) => _factory = factory;

    [Fact]
    public async Task Hash_ValidPassword_ReturnsSelfDescribingPbkdf2Sha512String()
    {
        using HttpClient client = _factory.CreateClient();

        using HttpResponseMessage response = await client.PostAsJsonAsync("/hash", new { password = "correct horse battery staple" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string hash = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hash").GetString()!;
        string[] parts = hash.Split('$');
        Assert.Equal(["", "pbkdf2-sha512", "i=1000"], parts[..3]);
        byte[] salt = FromUnpaddedBase64(parts[3]);
        byte[] derived = FromUnpaddedBase64(parts[4]);
        Assert.Equal(16, salt.Length);
        Assert.Equal(64, derived.Length);
        byte[] expected = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("correct horse battery staple"), salt, 1000, HashAlgorithmName.SHA512, 64);
        Assert.Equal(expected, derived); // an independent derivation agrees
    }

    [Fact]
    public async Task Hash_SamePasswordTwice_UsesARandomSaltEachTime()
    {
        using HttpClient client = _factory.CreateClient();

        string first = await HashAsync(client, "same password");
        string second = await HashAsync(client, "same password");

        Assert.NotEqual(first.Split('$')[3], second.Split('$')[3]);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Hash_PasswordOfExactly1024Utf8Bytes_Accepted()
    {
        using HttpClient client = _factory.CreateClient();

        using HttpResponseMessage response = await client.PostAsJsonAsync("/hash", new { password = new string('é', 512) }); // 2 bytes each

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string?> BadBodies => new()
    {
        { "no body", null },
        { "empty object", "{}" },
        { "null password", """{"password":null}""" },
        { "empty password", """{"password":""}""" },
        { "1025 ASCII bytes", $$"""{"password":"{{new string('a', 1025)}}"}""" },
        { "1026 UTF-8 bytes in 513 chars", $$"""{"password":"{{new string('é', 513)}}"}""" },
        { "password not a string", """{"password":12}""" },
        { "malformed JSON", """{"password":""" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Hash_BadBody_Returns400ProblemDetailsAndTheServerKeepsServing(string because, string? json)
    {
        using HttpClient client = _factory.CreateClient();
        using var content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hash") { Content = content };
        if (content is null)
        {
            request.Content = new ByteArrayContent([]);
            request.Content.Headers.ContentType = new("application/json");
        }

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: got {(int)response.StatusCode}");
        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        await SampleServerAssert.StillServesAsync(client);
    }

    internal static async Task<string> HashAsync(HttpClient client, string password)
    {
        using HttpResponseMessage response = await client.PostAsJsonAsync("/hash", new { password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hash").GetString()!;
    }

    internal static byte[] FromUnpaddedBase64(string text) => Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
}
