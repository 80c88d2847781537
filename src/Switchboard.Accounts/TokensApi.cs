using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Accounts;

public sealed record ApiTokenDto(long Id, long AgentId, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>The only response that ever carries the secret.</summary>
public sealed record CreatedApiTokenDto(long Id, string Name, string Token, DateTimeOffset? ExpiresAt);

public sealed record CreateApiTokenRequest(string? Name, int? ExpiresInDays);

internal static class TokensApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/tokens").WithTags("API tokens").RequireAuthorization(Policies.Agent);
        group.MapGet("/", ListAsync).WithSummary("API tokens of the signed-in agent (every agent's for administrators).");
        group.MapPost("/", CreateAsync).WithSummary("Create an API token; the secret is shown once.");
        group.MapDelete("/{id:long}", RevokeAsync);
    }

    private static async Task<Ok<ItemsDto<ApiTokenDto>>> ListAsync(HttpContext http, SwitchboardDb db, CancellationToken ct) =>
        TypedResults.Ok(new ItemsDto<ApiTokenDto>(await ListTokensAsync(db, CurrentAgent.From(http.User)!, ct)));

    internal static async Task<IReadOnlyList<ApiTokenDto>> ListTokensAsync(SwitchboardDb db, CurrentAgent me, CancellationToken ct) =>
        await db.ApiTokens.AsNoTracking()
            .Where(t => t.Kind == TokenKind.Api && (me.IsAdmin || t.AgentId == me.Id))
            .OrderByDescending(t => t.Id)
            .Select(t => new ApiTokenDto(t.Id, t.AgentId, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.RevokedAt))
            .ToListAsync(ct);

    private static async Task<Created<CreatedApiTokenDto>> CreateAsync(
        CreateApiTokenRequest request, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var created = await CreateTokenAsync(db, time, CurrentAgent.From(http.User)!, request, ct);
        return TypedResults.Created($"/api/v1/tokens/{created.Id}", created);
    }

    internal static async Task<CreatedApiTokenDto> CreateTokenAsync(
        SwitchboardDb db, TimeProvider time, CurrentAgent me, CreateApiTokenRequest request, CancellationToken ct)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100) throw ProblemException.Invalid("name", "Give the token a name of 1 to 100 characters.");
        if (request.ExpiresInDays is < 1 or > 3650) throw ProblemException.Invalid("expiresInDays", "expiresInDays must be between 1 and 3650.");
        var now = time.GetUtcNow();
        DateTimeOffset? expires = request.ExpiresInDays is { } days ? now.AddDays(days) : null;
        var (entity, secret) = await Tokens.IssueAsync(db, me.Id, name, TokenKind.Api, now, expires, ct);
        return new CreatedApiTokenDto(entity.Id, name, secret, expires);
    }

    private static async Task<NoContent> RevokeAsync(long id, HttpContext http, SwitchboardDb db, IMemoryCache cache, TimeProvider time, CancellationToken ct)
    {
        await RevokeTokenAsync(db, cache, time, CurrentAgent.From(http.User)!, id, ct);
        return TypedResults.NoContent();
    }

    internal static async Task RevokeTokenAsync(SwitchboardDb db, IMemoryCache cache, TimeProvider time, CurrentAgent me, long id, CancellationToken ct)
    {
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id && (me.IsAdmin || t.AgentId == me.Id), ct)
            ?? throw ProblemException.NotFound($"Token {id}");
        token.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        cache.Remove(BearerTokenHandler.CacheKey(token.TokenHash));
    }
}
