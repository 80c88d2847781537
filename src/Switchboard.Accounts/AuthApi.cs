using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Accounts;

public sealed record SignInRequest(string? Email, string? Password);

public sealed record SignInResponse(string Token, DateTimeOffset ExpiresAt, AgentDto Agent);

internal static class AuthApi
{
    public const string RateLimitPolicy = "sign-in";

    public static void Map(IEndpointRouteBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Authentication");
        auth.MapPost("/token", SignInAsync).AllowAnonymous().RequireRateLimiting(RateLimitPolicy)
            .WithSummary("Sign in with email and password; returns a bearer token.");
        auth.MapDelete("/token", SignOutAsync).RequireAuthorization(Policies.Agent)
            .WithSummary("Revoke the token used for this request.");
        api.MapGet("/me", MeAsync).WithTags("Authentication").RequireAuthorization(Policies.Agent);
    }

    internal static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> SignInAsync(
        SignInRequest request, SwitchboardDb db, TimeProvider time, IOptions<AccountsOptions> options, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
        {
            throw ProblemException.Invalid("email", "Enter your email address and password.");
        }
        var now = time.GetUtcNow();
        var check = await PasswordSignIn.CheckAsync(db, options.Value, now, request.Email, request.Password, ct);
        switch (check.Status)
        {
            case PasswordCheckStatus.Locked:
                return TypedResults.Problem(PasswordSignIn.LockedMessage(check.LockedUntil!.Value), statusCode: 423, title: "Account locked");
            case PasswordCheckStatus.BadCredentials:
                return TypedResults.Problem(PasswordSignIn.BadCredentials, statusCode: 401, title: "Sign-in failed");
        }
        var agent = check.Agent!;
        var expires = now + options.Value.SessionLifetime;
        var (_, secret) = await Tokens.IssueAsync(db, agent.Id, "Sign-in", TokenKind.Session, now, expires, ct);
        return TypedResults.Ok(new SignInResponse(secret, expires, AgentDto.From(agent)));
    }

    private static async Task<NoContent> SignOutAsync(HttpContext http, SwitchboardDb db, IMemoryCache cache, TimeProvider time, CancellationToken ct)
    {
        string? header = http.Request.Headers.Authorization;
        var hash = Tokens.Hash(header!["Bearer ".Length..].Trim());
        await db.ApiTokens.Where(t => t.TokenHash == hash)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, time.GetUtcNow()), ct);
        cache.Remove(BearerTokenHandler.CacheKey(hash));
        return TypedResults.NoContent();
    }

    private static async Task<Ok<AgentDto>> MeAsync(HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var me = CurrentAgent.From(http.User)!;
        var agent = await db.Agents.AsNoTracking().WithProfile().FirstAsync(a => a.Id == me.Id, ct);
        return TypedResults.Ok(AgentDto.From(agent));
    }
}
