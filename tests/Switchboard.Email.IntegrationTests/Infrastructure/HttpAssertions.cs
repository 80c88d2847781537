using System.Net;
using System.Text.Json;

namespace Switchboard.Email.IntegrationTests.Infrastructure;

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

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static string? StrOrNull(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static long Id(this JsonElement element) => element.GetProperty("id").GetInt64();

    public static List<JsonElement> Items(this JsonElement page) => page.GetProperty("items").EnumerateArray().ToList();
}
