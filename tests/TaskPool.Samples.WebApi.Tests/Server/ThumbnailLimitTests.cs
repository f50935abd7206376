using System.Net;
using System.Text.Json;
using TaskPool.Samples.WebApi.Tests.Infrastructure;
using TaskPool.Samples.Imaging;
using TaskPool.Samples.Imaging.Testing;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary>The configurable limits of POST /thumbnail, on the real Kestrel: a 64 KiB body limit and a 1-megapixel image limit.</summary>
public sealed class ThumbnailLimitTests : IClassFixture<ThumbnailLimitTests.SmallLimitsServer>
{
    private readonly SmallLimitsServer _server;

    public ThumbnailLimitTests(SmallLimitsServer server) => _server = server;

    [Fact]
    public async Task Thumbnail_DeclaredLengthOverConfiguredLimit_Returns413()
    {
        using HttpClient client = _server.CreateClient();

        using HttpResponseMessage response = await ThumbnailEndpointTests.PostAsync(client, "/thumbnail?width=64&height=64", new byte[(64 * 1024) + 1]);

        await HttpAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await ThumbnailEndpointTests.AssertStillMakesThumbnailsAsync(client);
    }

    [Fact]
    public async Task Thumbnail_ChunkedBodyOverConfiguredLimit_Returns413()
    {
        using HttpClient client = _server.CreateClient();
        using var content = new StreamContent(new NonSeekableStream(new byte[200 * 1024])); // no Content-Length: sent chunked

        using HttpResponseMessage response = await client.PostAsync("/thumbnail?width=64&height=64", content);

        Assert.Null(content.Headers.ContentLength);
        await HttpAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await ThumbnailEndpointTests.AssertStillMakesThumbnailsAsync(client);
    }

    [Fact]
    public async Task Thumbnail_ImageOverConfiguredPixelLimit_Returns400TooManyPixels()
    {
        using HttpClient client = _server.CreateClient();
        byte[] image = TestImages.Quadrants(ThumbnailFormat.Png, 1200, 1000); // 1.2 megapixels in a file of a few KiB

        using HttpResponseMessage response = await ThumbnailEndpointTests.PostAsync(client, "/thumbnail?width=64&height=64", image);

        JsonElement problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("TooManyPixels", problem.GetProperty("reason").GetString());
        await ThumbnailEndpointTests.AssertStillMakesThumbnailsAsync(client);
    }

    public sealed class SmallLimitsServer : IDisposable
    {
        private readonly SampleServerFactory _factory = new(
            SampleServerFactory.FastHashingWith(("Thumbnails:MaxRequestBytes", "65536"), ("Thumbnails:MaxPixels", "1000000")),
            useKestrel: true);

        private readonly Uri _address;

        public SmallLimitsServer() => _address = _factory.StartKestrel();

        public HttpClient CreateClient() => new() { BaseAddress = _address };

        public void Dispose() => _factory.Dispose();
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
