using System.Net;
using System.Net.Http.Json;

namespace TaskPool.Samples.WebApi.Tests.Infrastructure;

internal static class SampleServerAssert
{
    /// <summary>Asserts that the server still does real work: a valid /hash succeeds.</summary>
    public static async Task StillServesAsync(HttpClient client)
    {
        using HttpResponseMessage response = await client.PostAsJsonAsync("/hash", new { password = "still serving" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
