using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TaskPool.Samples.WebApi.Tests.Infrastructure;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>POST /verify on the sample server, with 1,000 iterations for new hashes and 100..20,000 accepted.</summary>
public sealed class VerifyEndpointTests : IClassFixture<SampleServerFactory>
{
    private readonly SampleServerFactory _factory;

    public VerifyEndpointTests(SampleServerFactory factory) => _factory = factory;

    [Fact]
    public async Task Verify_RightPassword_ValidWithoutRehash()
    {
        using HttpClient client = _factory.CreateClient();
        string hash = await HashEndpointTests.HashAsync(client, "s3cret!");

        JsonElement result = await VerifyOkAsync(client, "s3cret!", hash);

        Assert.True(result.GetProperty("valid").GetBoolean());
        Assert.False(result.TryGetProperty("rehash", out _));
    }

    [Fact]
    public async Task Verify_WrongPassword_NotValid()
    {
        using HttpClient client = _factory.CreateClient();
        string hash = await HashEndpointTests.HashAsync(client, "s3cret!");

        JsonElement result = await VerifyOkAsync(client, "s3cret?", hash);

        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.False(result.TryGetProperty("rehash", out _));
    }

    [Fact]
    public async Task Verify_HashWithFewerIterationsThanCurrent_ValidAndRehashedWithTheCurrentCount()
    {
        using HttpClient client = _factory.CreateClient();
        string old = Encode("legacy password", iterations: 500); // below the configured 1,000

        JsonElement result = await VerifyOkAsync(client, "legacy password", old);

        Assert.True(result.GetProperty("valid").GetBoolean());
        string rehash = result.GetProperty("rehash").GetString()!;
        Assert.StartsWith("$pbkdf2-sha512$i=1000$", rehash, StringComparison.Ordinal);
        Assert.True((await VerifyOkAsync(client, "legacy password", rehash)).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Verify_WrongPasswordAgainstOldHash_NotValidAndNoRehash()
    {
        using HttpClient client = _factory.CreateClient();

        JsonElement result = await VerifyOkAsync(client, "guess", Encode("legacy password", iterations: 500));

        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.False(result.TryGetProperty("rehash", out _));
    }

    [Fact]
    public async Task Verify_PaddedBase64_Accepted()
    {
        using HttpClient client = _factory.CreateClient();
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        byte[] key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("pw"), salt, 1000, HashAlgorithmName.SHA512, 64);

        JsonElement result = await VerifyOkAsync(client, "pw", $"$pbkdf2-sha512$i=1000${Convert.ToBase64String(salt)}${Convert.ToBase64String(key)}");

        Assert.True(result.GetProperty("valid").GetBoolean());
    }

    public static TheoryData<string, string?, string?> BadRequests()
    {
        string valid = Encode("pw", 1000, salt: [.. Enumerable.Range(1, 16).Select(static i => (byte)i)]); // fixed: theory data must not change between discovery and run
        string[] parts = valid.Split('$');
        return new TheoryData<string, string?, string?>
        {
            { "missing password", null, valid },
            { "empty password", "", valid },
            { "password over 1024 bytes", new string('x', 1025), valid },
            { "missing hash", "pw", null },
            { "empty hash", "pw", "" },
            { "not a hash", "pw", "hello" },
            { "too few fields", "pw", $"$pbkdf2-sha512$i=1000${parts[3]}" },
            { "too many fields", "pw", valid + "$extra" },
            { "no leading dollar", "pw", valid[1..] },
            { "unsupported algorithm sha256", "pw", valid.Replace("pbkdf2-sha512", "pbkdf2-sha256", StringComparison.Ordinal) },
            { "unsupported algorithm argon2id", "pw", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA" },
            { "attacker-chosen 10^9 iterations", "pw", valid.Replace("i=1000", "i=1000000000", StringComparison.Ordinal) },
            { "iterations above int", "pw", valid.Replace("i=1000", "i=99999999999", StringComparison.Ordinal) },
            { "zero iterations", "pw", valid.Replace("i=1000", "i=0", StringComparison.Ordinal) },
            { "iterations below the minimum", "pw", valid.Replace("i=1000", "i=99", StringComparison.Ordinal) },
            { "negative iterations", "pw", valid.Replace("i=1000", "i=-1000", StringComparison.Ordinal) },
            { "signed iterations", "pw", valid.Replace("i=1000", "i=+1000", StringComparison.Ordinal) },
            { "no iteration value", "pw", valid.Replace("i=1000", "i=", StringComparison.Ordinal) },
            { "iteration key missing", "pw", valid.Replace("i=1000", "1000", StringComparison.Ordinal) },
            { "salt not Base64", "pw", valid.Replace(parts[3], "!!!!notbase64!!!", StringComparison.Ordinal) },
            { "salt too short", "pw", valid.Replace(parts[3], "c2FsdA", StringComparison.Ordinal) },
            { "hash too short", "pw", valid.Replace(parts[4], parts[4][..40], StringComparison.Ordinal) },
            { "hash too long", "pw", valid + "AAAA" },
            { "huge hash string", "pw", "$pbkdf2-sha512$i=1000$" + new string('A', 10_000) + "$AAAA" },
        };
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Verify_BadInput_Returns400ProblemDetailsAndTheServerKeepsServing(string because, string? password, string? hash)
    {
        using HttpClient client = _factory.CreateClient();

        using HttpResponseMessage response = await client.PostAsJsonAsync("/verify", new { password, hash });

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: got {(int)response.StatusCode}");
        JsonElement problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out _), because);
        await SampleServerAssert.StillServesAsync(client);
    }

    internal static string Encode(string password, int iterations, byte[]? salt = null)
    {
        salt ??= RandomNumberGenerator.GetBytes(16);
        byte[] key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, 64);
        return $"$pbkdf2-sha512$i={iterations}${Convert.ToBase64String(salt).TrimEnd('=')}${Convert.ToBase64String(key).TrimEnd('=')}";
    }

    internal static async Task<JsonElement> VerifyOkAsync(HttpClient client, string password, string hash)
    {
        using HttpResponseMessage response = await client.PostAsJsonAsync("/verify", new { password, hash });
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement;
    }
}
