using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Accounts;

namespace Switchboard.Workspace;

/// <summary>
/// An open workspace is one long connection; the cookie is checked only when it starts. Every
/// minute the session is checked again, so signing out elsewhere, a revoked session or a
/// deactivated agent ends it, and role or department changes apply.
/// </summary>
internal sealed class SessionRevalidation(ILoggerFactory loggerFactory, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sessions = scope.ServiceProvider.GetRequiredService<AgentSessions>();
        return await sessions.RevalidateAsync(authenticationState.User, cancellationToken) is ClaimsPrincipal;
    }
}
