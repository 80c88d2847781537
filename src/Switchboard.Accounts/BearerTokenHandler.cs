using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Accounts;

/// <summary>
/// Resolves <c>Authorization: Bearer sb_…</c> to the agent who owns the token. Lookups are cached
/// briefly so a busy API client costs one query per token per <see cref="CacheFor"/>; revoking a
/// token, deactivating an agent or changing their departments evicts the entry.
/// </summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SwitchboardDb db,
    IMemoryCache cache,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var token = header["Bearer ".Length..].Trim();
        if (token.Length is < 10 or > 200) return AuthenticateResult.Fail("Malformed token.");

        var hash = Tokens.Hash(token);
        var entry = await TokenLookup.FindAsync(db, cache, hash, Context.RequestAborted);
        if (entry is null) return AuthenticateResult.Fail("Unknown or revoked token.");
        if (entry.ExpiresAt is { } expires && expires <= time.GetUtcNow()) return AuthenticateResult.Fail("Expired token.");

        var identity = entry.ToIdentity(SchemeName);
        identity.AddClaim(new Claim("sb:token", hash[..16]));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    public static string CacheKey(string hash) => TokenLookup.CacheKey(hash);
}

/// <summary>A token's owner as cached: enough to build the principal without another query.</summary>
internal sealed record CachedToken(long AgentId, string Name, AgentRole Role, long[] Departments, DateTimeOffset? ExpiresAt)
{
    public ClaimsIdentity ToIdentity(string scheme) => CurrentAgent.ToIdentity(AgentId, Name, Role, Departments, scheme);
}

/// <summary>
/// Finds the agent behind a token hash, for bearer tokens and browser sessions alike. Lookups are
/// cached for <see cref="BearerTokenHandler.CacheFor"/>; revoking a token or changing the agent evicts the entry.
/// </summary>
internal static class TokenLookup
{
    public static string CacheKey(string hash) => "token:" + hash;

    public static async Task<CachedToken?> FindAsync(SwitchboardDb db, IMemoryCache cache, string hash, CancellationToken ct)
    {
        var key = CacheKey(hash);
        if (cache.TryGetValue(key, out CachedToken? entry)) return entry;
        entry = await db.ApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null && t.Agent!.IsActive)
            .Select(t => new CachedToken(
                t.AgentId, t.Agent!.Name, t.Agent.Role,
                t.Agent.Departments.Select(d => d.DepartmentId).ToArray(),
                t.ExpiresAt))
            .FirstOrDefaultAsync(ct);
        if (entry is not null)
        {
            cache.Set(key, entry, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = BearerTokenHandler.CacheFor, Size = 1 });
            AgentCacheIndex.Remember(cache, entry.AgentId, key);
        }
        return entry;
    }
}

/// <summary>Which cached tokens belong to an agent, so a change to the agent drops them all.</summary>
internal static class AgentCacheIndex
{
    private static string Key(long agentId) => "agent-tokens:" + agentId;

    public static void Remember(IMemoryCache cache, long agentId, string tokenKey)
    {
        var set = cache.GetOrCreate(Key(agentId), e =>
        {
            e.Size = 1;
            return new System.Collections.Concurrent.ConcurrentDictionary<string, byte>();
        })!;
        set[tokenKey] = 0;
    }

    public static void Forget(IMemoryCache cache, long agentId)
    {
        if (cache.TryGetValue(Key(agentId), out System.Collections.Concurrent.ConcurrentDictionary<string, byte>? set) && set is not null)
        {
            foreach (var k in set.Keys) cache.Remove(k);
        }
    }
}
