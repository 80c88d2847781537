using System.Security.Cryptography;
using System.Text;
using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Accounts;

/// <summary>Opaque bearer tokens. The database keeps only a SHA-256 of each, so a leaked backup grants nothing.</summary>
internal static class Tokens
{
    public static string NewSecret() => "sb_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static async Task<(ApiToken Entity, string Secret)> IssueAsync(
        SwitchboardDb db, long agentId, string name, TokenKind kind, DateTimeOffset now, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        var secret = NewSecret();
        var entity = new ApiToken
        {
            AgentId = agentId,
            Name = name,
            Kind = kind,
            TokenHash = Hash(secret),
            Prefix = secret[..10],
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        db.ApiTokens.Add(entity);
        await db.SaveChangesAsync(ct);
        return (entity, secret);
    }
}
