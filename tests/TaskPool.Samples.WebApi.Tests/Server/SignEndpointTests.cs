using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TaskPool.Samples.WebApi.Tests.Infrastructure;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>POST /sign on the sample server: HMAC-SHA256 of the body under the server's key, by a worker-local IncrementalHash.</summary>
public sealed class SignEndpointTests : IClassFixture<SignEndpointTests.Rfc4231Server>
{
    /// <summary>The key of RFC 4231's test cases 6 and 7: 131 bytes of 0xaa (longer than SHA-256's block, so HMAC hashes it first).</summary>
    private static readonly byte[] s_rfc4231Key = [.. Enumerable.Repeat((byte)0xaa, 131)];

    private readonly SampleServerFactory _factory;

    public SignEndpointTests(Rfc4231Server server) => _factory = server.Factory;

    [Theory]
    [InlineData("Test Using Larger Than Block-Size Key - Hash Key First", "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")] // RFC 4231, 4.7
    [InlineData(
        "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")] // RFC 4231, 4.8
    public async Task Sign_Rfc4231TestVector_ReturnsTheKnownHmacSha256(string message, string expected)
    {
        using HttpClient client = _factory.CreateClient();

        JsonElement signed = await SignAsync(client, Encoding.ASCII.GetBytes(message));

        Assert.Equal("HMAC-SHA256", signed.GetProperty("algorithm").GetString());
        Assert.Equal(expected, signed.GetProperty("signature").GetString());
    }

    [Fact]
    public async Task Sign_ManyMessagesOfManySizesOnReusedWorkerHmacs_EachMatchesAnIndependentHmac()
    {
        // Every worker reuses one IncrementalHash for all its jobs: a message must never see a trace of the one before it.
        using HttpClient client = _factory.CreateClient();
        int[] sizes = [0, 1, 63, 64, 65, 1000, 65_536, 70_001];
        byte[][] messages = [.. Enumerable.Range(0, 40).Select(i => RandomNumberGenerator.GetBytes(sizes[i % sizes.Length]))];

        JsonElement[] signed = await Task.WhenAll(messages.Select(m => SignAsync(client, m))).WaitOrFailAsync("40 concurrent /sign requests");

        for (int i = 0; i < messages.Length; i++)
        {
            Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(s_rfc4231Key, messages[i])), signed[i].GetProperty("signature").GetString());
        }
    }

    [Fact]
    public async Task Sign_DeclaredBodyOverTheLimit_Returns413AndTheServerKeepsSigning()
    {
        using HttpClient client = _factory.CreateClient();
        using var content = new ByteArrayContent(new byte[(1024 * 1024) + 1]);

        using HttpResponseMessage response = await client.PostAsync("/sign", content);

        await HttpAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await SignAsync(client, [1, 2, 3]);
    }

    [Fact]
    public async Task Sign_ChunkedBodyOverTheLimit_Returns413()
    {
        using HttpClient client = _factory.CreateClient();
        using var content = new StreamContent(new UnknownLengthStream(new byte[(1024 * 1024) + 1]));

        using HttpResponseMessage response = await client.PostAsync("/sign", content);

        await HttpAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Sign_ChunkedBodyWithinTheLimit_SignsAllOfIt()
    {
        using HttpClient client = _factory.CreateClient();
        byte[] message = RandomNumberGenerator.GetBytes(100_000);
        using var content = new StreamContent(new UnknownLengthStream(message));

        using HttpResponseMessage response = await client.PostAsync("/sign", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement signed = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(s_rfc4231Key, message)), signed.GetProperty("signature").GetString());
    }

    [Fact]
    public async Task Sign_NoKeyConfigured_SignsWithARandomKeyOfItsOwn()
    {
        using var first = new SampleServerFactory();
        using var second = new SampleServerFactory();
        using HttpClient firstClient = first.CreateClient();
        using HttpClient secondClient = second.CreateClient();
        byte[] message = Encoding.ASCII.GetBytes("the same message");

        string once = (await SignAsync(firstClient, message)).GetProperty("signature").GetString()!;
        string again = (await SignAsync(firstClient, message)).GetProperty("signature").GetString()!;
        string elsewhere = (await SignAsync(secondClient, message)).GetProperty("signature").GetString()!;

        Assert.Equal(64, once.Length);
        Assert.Equal(once, again);
        Assert.NotEqual(once, elsewhere); // another server, another random key
    }

    [Theory]
    [InlineData("c2hvcnQga2V5")] // "short key": 9 bytes
    [InlineData("not base64!")]
    public void Startup_UnusableSigningKey_FailsNamingTheSetting(string key)
    {
        using var factory = new SampleServerFactory(SampleServerFactory.FastHashingWith(("Signing:Key", key)));

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Signing:Key", error.Message, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> SignAsync(HttpClient client, byte[] message)
    {
        using var content = new ByteArrayContent(message);
        using HttpResponseMessage response = await client.PostAsync("/sign", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The sample server with RFC 4231's 131-byte key as <c>Signing:Key</c>.</summary>
    public sealed class Rfc4231Server : IDisposable
    {
        public SampleServerFactory Factory { get; } = new(SampleServerFactory.FastHashingWith(("Signing:Key", Convert.ToBase64String(s_rfc4231Key))));

        public void Dispose() => Factory.Dispose();
    }

    /// <summary>A body whose length is not known in advance, so that it is sent without Content-Length.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
