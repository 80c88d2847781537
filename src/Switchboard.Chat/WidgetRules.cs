using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Chat;

internal sealed record PreChatField(string Key, string Label, bool Required);

internal sealed record InvitationRule(string Path, int AfterSeconds, string Message);

/// <summary>A widget as the public side reads it, cached briefly: every visitor request needs it.</summary>
internal sealed record WidgetInfo(
    long Id, string Name, string PublicKey, string IdentitySecret, long? DepartmentId, string[] AllowedOrigins,
    IReadOnlyList<PreChatField> PreChatFields, IReadOnlyList<InvitationRule> Invitations, long MaxFileBytes, string[] AllowedFileTypes)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static WidgetInfo From(ChatWidget w) => new(
        w.Id, w.Name, w.PublicKey, w.IdentitySecret, w.DepartmentId, Origins.Split(w.AllowedOrigins),
        JsonSerializer.Deserialize<List<PreChatField>>(w.PreChatFields, Json) ?? [],
        JsonSerializer.Deserialize<List<InvitationRule>>(w.Invitations, Json) ?? [],
        w.MaxFileBytes, FileTypes(w.AllowedFileTypes));

    public static string[] FileTypes(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => t.ToLowerInvariant()).ToArray();

    public bool Allows(string? origin) => Origins.IsAllowed(AllowedOrigins, origin);

    public bool AcceptsFileType(string contentType) =>
        AllowedFileTypes.Length == 0 || AllowedFileTypes.Any(t => contentType.StartsWith(t, StringComparison.OrdinalIgnoreCase));
}

internal sealed class WidgetCache(IMemoryCache cache)
{
    private static string Key(string publicKey) => "chat-widget:" + publicKey;

    public async Task<WidgetInfo?> FindAsync(SwitchboardDb db, string? publicKey, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(publicKey) || publicKey.Length > 64) return null;
        if (cache.TryGetValue(Key(publicKey), out WidgetInfo? info)) return info;
        var widget = await db.ChatWidgets.AsNoTracking().FirstOrDefaultAsync(w => w.PublicKey == publicKey, ct);
        info = widget is null ? null : WidgetInfo.From(widget);
        cache.Set(Key(publicKey), info, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30), Size = 1 });
        return info;
    }

    public void Forget(string publicKey) => cache.Remove(Key(publicKey));
}

/// <summary>Embedding sites: an origin is scheme://host[:port], compared exactly (lower case); "*" allows every site.</summary>
internal static class Origins
{
    public static string[] Split(string value) =>
        value.Split(['\n', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(o => o.TrimEnd('/').ToLowerInvariant()).Distinct().ToArray();

    public static bool IsAllowed(string[] allowed, string? origin) =>
        allowed.Contains("*") || (!string.IsNullOrEmpty(origin) && allowed.Contains(origin.TrimEnd('/').ToLowerInvariant()));

    /// <summary>Checks one origin as an administrator typed it; returns it normalized.</summary>
    public static string Normalize(string origin)
    {
        var trimmed = origin.Trim().TrimEnd('/');
        if (trimmed == "*") return trimmed;
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.PathAndQuery != "/" || trimmed.Contains('?', StringComparison.Ordinal))
        {
            throw Core.Errors.ProblemException.Invalid("allowedOrigins", $"'{origin}' is not an origin; write it as https://shop.example.com (scheme, host and an optional port).");
        }
        return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
    }
}

/// <summary>Signed identities: the site signs "userId:email" with the widget's secret (HMAC-SHA256, hex).</summary>
internal static class IdentitySignature
{
    public static string Sign(string secret, string userId, string email) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(userId + ":" + email.Trim().ToLowerInvariant())));

    public static bool IsValid(string secret, string? userId, string? email, string? signature)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(email) || string.IsNullOrEmpty(signature) || signature.Length != 64) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, userId, email));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature.ToLowerInvariant()));
    }

    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string NewKey() => "wk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
