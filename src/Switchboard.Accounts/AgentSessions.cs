using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Events;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Accounts;

/// <summary>The outcome of a browser sign-in, worded for the person at the form.</summary>
public sealed record AgentSignInResult(bool Succeeded, string? Error, bool Locked);

/// <summary>
/// Browser sessions for agents: the same password check and lockout as the token endpoint, with
/// the session kept as a server-side token (revocable like any other) whose hash rides in an
/// encrypted cookie. Also the agent's own profile (language, time zone) and the directory the
/// workspace shows.
/// </summary>
public sealed class AgentSessions(SwitchboardDb db, TimeProvider time, IOptions<AccountsOptions> options, IMemoryCache cache, AgentPresence presence)
{
    public const string CookieScheme = "Switchboard.Cookie";
    internal const string SessionClaim = "sb:session";

    public async Task<AgentSignInResult> SignInAsync(HttpContext http, string? email, string? password, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return new(false, "Enter your email address and password.", false);
        }
        var now = time.GetUtcNow();
        var check = await PasswordSignIn.CheckAsync(db, options.Value, now, email, password, ct);
        if (check.Status == PasswordCheckStatus.Locked) return new(false, PasswordSignIn.LockedMessage(check.LockedUntil!.Value), true);
        if (check.Status == PasswordCheckStatus.BadCredentials) return new(false, PasswordSignIn.BadCredentials, false);

        var agent = check.Agent!;
        var expires = now + options.Value.SessionLifetime;
        var (token, _) = await Tokens.IssueAsync(db, agent.Id, "Browser sign-in", TokenKind.Session, now, expires, ct);
        var identity = CurrentAgent.ToIdentity(agent.Id, agent.Name, agent.Role, agent.Departments.Select(d => d.DepartmentId), CookieScheme);
        identity.AddClaim(new Claim(SessionClaim, token.TokenHash));
        await http.SignInAsync(CookieScheme, new ClaimsPrincipal(identity), new AuthenticationProperties
        {
            IsPersistent = true,
            ExpiresUtc = expires,
            AllowRefresh = false,
        });
        return new(true, null, false);
    }

    /// <summary>Revokes the session behind the cookie and removes the cookie.</summary>
    public async Task SignOutAsync(HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.User.FindFirstValue(SessionClaim) is { } hash)
        {
            await db.ApiTokens.Where(t => t.TokenHash == hash && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, time.GetUtcNow()), ct);
            cache.Remove(TokenLookup.CacheKey(hash));
        }
        await http.SignOutAsync(CookieScheme);
    }

    /// <summary>
    /// The agent as the session's token says now (role and departments current), or null when the
    /// session was revoked, expired or the agent deactivated. Long-lived browser connections ask this
    /// from time to time.
    /// </summary>
    public async Task<ClaimsPrincipal?> RevalidateAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.FindFirstValue(SessionClaim) is not { } hash) return null;
        var entry = await TokenLookup.FindAsync(db, cache, hash, ct);
        if (entry is null || (entry.ExpiresAt is { } expires && expires <= time.GetUtcNow())) return null;
        var identity = entry.ToIdentity(CookieScheme);
        identity.AddClaim(new Claim(SessionClaim, hash));
        return new ClaimsPrincipal(identity);
    }

    public async Task<AgentDto> ProfileAsync(CurrentAgent me, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(me);
        var agent = await db.Agents.AsNoTracking().WithProfile().FirstOrDefaultAsync(a => a.Id == me.Id, ct)
            ?? throw ProblemException.NotFound($"Agent {me.Id}");
        return AgentDto.From(agent);
    }

    /// <summary>Changes the agent's own name, language or time zone, with the checks of <c>PATCH /api/v1/agents/{id}</c>.</summary>
    public Task<AgentDto> UpdateProfileAsync(CurrentAgent me, string? name, string? language, string? timeZone, CancellationToken ct) =>
        AgentsApi.UpdateAgentAsync(db, cache, options.Value, me, me?.Id ?? 0,
            new UpdateAgentRequest(name, null, null, null, null, language, timeZone, null), ct);

    /// <summary>Online, away or offline, as <c>PUT /api/v1/agents/me/availability</c> sets it.</summary>
    public Task<AgentDto> SetAvailabilityAsync(CurrentAgent me, string availability, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(me);
        return AgentsApi.ChangeAvailabilityAsync(db, time, presence, me, me.Id, new SetAvailabilityRequest(availability), ct);
    }

    public async Task<IReadOnlyList<AgentDto>> AgentsAsync(CancellationToken ct) =>
        (await db.Agents.AsNoTracking().WithProfile().OrderBy(a => a.Name).ToListAsync(ct)).Select(AgentDto.From).ToList();

    public async Task<IReadOnlyList<DepartmentDto>> DepartmentsAsync(CancellationToken ct) =>
        await DepartmentsApi.Project(db, db.Departments.OrderBy(d => d.Name)).ToListAsync(ct);

    /// <summary>Cookie validation: each request's principal comes from the session token, so revocation and role changes apply at once.</summary>
    internal static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<AgentSessions>();
        var principal = context.Principal is null ? null : await sessions.RevalidateAsync(context.Principal, context.HttpContext.RequestAborted);
        if (principal is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }
        context.ReplacePrincipal(principal);
    }
}
