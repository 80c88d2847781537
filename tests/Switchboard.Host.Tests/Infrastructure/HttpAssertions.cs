using System.Net;
using System.Text.Json;

namespace Switchboard.Host.Tests.Infrastructure;

/// <summary>Checks a response's status and reads its JSON body; a wrong status fails with the body in the message.</summary>
public static class HttpAssertions
{
    public static async Task<JsonElement> ShouldBeAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        ArgumentNullException.ThrowIfNull(response);
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(
                response.StatusCode == expected,
                $"Expected {(int)expected} {expected} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} " +
                $"but got {(int)response.StatusCode} {response.StatusCode}: {body}");
            return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    public static async Task<JsonElement> ShouldBeAsync(this Task<HttpResponseMessage> call, HttpStatusCode expected)
    {
        ArgumentNullException.ThrowIfNull(call);
        return await (await call).ShouldBeAsync(expected);
    }

    /// <summary>Expects RFC 9457 problem details with this status; returns them.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        ArgumentNullException.ThrowIfNull(response);
        var contentType = response.Content.Headers.ContentType?.MediaType;
        var problem = await response.ShouldBeAsync(expected);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    public static async Task<JsonElement> ShouldBeProblemAsync(this Task<HttpResponseMessage> call, HttpStatusCode expected)
    {
        ArgumentNullException.ThrowIfNull(call);
        return await (await call).ShouldBeProblemAsync(expected);
    }

    public static string Detail(this JsonElement problem) => problem.GetProperty("detail").GetString() ?? "";

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static long Id(this JsonElement element) => element.GetProperty("id").GetInt64();

    public static JsonElement.ArrayEnumerator Items(this JsonElement page) => page.GetProperty("items").EnumerateArray();

    public static List<long> Ids(this JsonElement page) => page.Items().Select(i => i.Id()).ToList();
}
