using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskPool.AspNetCore.Tests.Infrastructure;

internal static class HttpAssert
{
    /// <summary>Asserts the status code and a ProblemDetails body (RFC 9457) with that status; returns the body.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Asserts that the server still does real work: a valid /hash succeeds.</summary>
    public static async Task StillServesAsync(HttpClient client)
    {
        using HttpResponseMessage response = await client.PostAsJsonAsync("/hash", new { password = "still serving" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
