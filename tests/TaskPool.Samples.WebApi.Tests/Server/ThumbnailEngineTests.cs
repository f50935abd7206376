using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkiaSharp;
using TaskPool.Samples.WebApi.Tests.Infrastructure;
using TaskPool.Samples.Imaging;
using TaskPool.Samples.Imaging.Testing;
using TaskPool.Samples.WebApi.Thumbnails;

namespace TaskPool.Samples.WebApi.Tests.Server;

/// <summary><c>Thumbnails:Engine</c>: the same answers from either engine, and a bad value fails start-up.</summary>
public sealed class ThumbnailEngineTests
{
    [Theory]
    [InlineData("Vips")]
    [InlineData("skia")]
    public async Task Thumbnail_EachEngine_MakesTheThumbnailAndRefusesATruncatedImageWith400(string engine)
    {
        using var factory = new SampleServerFactory(SampleServerFactory.FastHashingWith(("Thumbnails:Engine", engine)));
        using HttpClient client = factory.CreateClient();

        using HttpResponseMessage made = await ThumbnailEndpointTests.PostAsync(client, "/thumbnail?width=80&height=60&format=png", TestImages.Photo(ThumbnailFormat.Jpeg, 640, 480));
        using HttpResponseMessage refused = await ThumbnailEndpointTests.PostAsync(
            client, "/thumbnail?width=80&height=60", TestImages.Truncated(TestImages.Photo(ThumbnailFormat.Jpeg, 640, 480)));

        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        Assert.Equal("image/png", made.Content.Headers.ContentType?.MediaType);
        using SKBitmap thumbnail = ThumbnailEndpointTests.Decode(await made.Content.ReadAsByteArrayAsync());
        Assert.Equal((80, 60), (thumbnail.Width, thumbnail.Height));
        JsonElement problem = await HttpAssert.ProblemAsync(refused, HttpStatusCode.BadRequest);
        Assert.Equal("Truncated", problem.GetProperty("reason").GetString());
        Assert.Equal(Enum.Parse<ThumbnailEngine>(engine, ignoreCase: true), factory.Services.GetRequiredService<IOptions<ThumbnailSettings>>().Value.Engine);
    }

    [Fact]
    public void SampleServer_UnknownEngine_FailsStartUpNamingTheSetting()
    {
        using var factory = new SampleServerFactory(SampleServerFactory.FastHashingWith(("Thumbnails:Engine", "ImageMagick")));

        Exception exception = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Thumbnails:Engine", exception.ToString(), StringComparison.Ordinal);
    }
}
