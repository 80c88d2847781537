using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Accounts;

internal enum PasswordCheckStatus { Success, BadCredentials, Locked }

internal sealed record PasswordCheck(PasswordCheckStatus Status, Agent? Agent, DateTimeOffset? LockedUntil);

/// <summary>
/// The one password check behind every way an agent signs in (a bearer token from the API, a
/// cookie in the browser): failed attempts count towards the lockout, success resets the count and
/// upgrades an old hash. Saves its changes.
/// </summary>
internal static class PasswordSignIn
{
    public const string BadCredentials = "The email address or password is not correct.";

    public static async Task<PasswordCheck> CheckAsync(
        SwitchboardDb db, AccountsOptions options, DateTimeOffset now, string email, string password, CancellationToken ct)
    {
        var normalized = email.Trim().ToLowerInvariant();
        var agent = await db.Agents.WithProfile().FirstOrDefaultAsync(a => a.Email == normalized, ct);
        if (agent is null || !agent.IsActive)
        {
            // Same answer as a wrong password: the response never tells whether an address has an account.
            return new(PasswordCheckStatus.BadCredentials, null, null);
        }
        if (agent.LockedUntil is { } until && until > now) return new(PasswordCheckStatus.Locked, null, until);
        if (!Passwords.Verify(agent, password, out var rehash))
        {
            agent.FailedSignIns++;
            if (agent.FailedSignIns >= options.MaxFailedSignIns)
            {
                agent.LockedUntil = now + options.LockoutDuration;
                agent.FailedSignIns = 0;
            }
            await db.SaveChangesAsync(ct);
            return new(PasswordCheckStatus.BadCredentials, null, null);
        }
        agent.FailedSignIns = 0;
        agent.LockedUntil = null;
        if (rehash) agent.PasswordHash = Passwords.Hash(agent, password);
        await db.SaveChangesAsync(ct);
        return new(PasswordCheckStatus.Success, agent, null);
    }

    public static string LockedMessage(DateTimeOffset until) => $"Too many failed sign-ins. Try again after {until:u}.";
}
