using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Events;
using Switchboard.Core.Model;
using Switchboard.Portal.Views;
using Switchboard.Tickets;

namespace Switchboard.Portal;

/// <summary>
/// A customer's own profile: name, preferred language (pages and mail), password (the current one
/// required), sign-in address (changed only when a link mailed to the new address is opened) and the
/// identities their contact is known by. Every call reads and writes only the signed-in account.
/// </summary>
internal static class ProfilePages
{
    private const string EmailChangePurpose = "Switchboard.Portal.EmailChange";

    public static void Map(RouteGroupBuilder portal)
    {
        portal.MapGet("/profile", ShowAsync);
        portal.MapPost("/profile", SaveAsync).RequireRateLimiting(RateLimits.Account);
        portal.MapPost("/profile/password", ChangePasswordAsync).RequireRateLimiting(RateLimits.Account);
        portal.MapPost("/profile/email", ChangeEmailAsync).RequireRateLimiting(RateLimits.Account);
        portal.MapGet("/profile/email/confirm", ConfirmEmailAsync).RequireRateLimiting(RateLimits.Account);
    }

    private static Task<IResult> ShowAsync(string? saved, HttpContext http, SwitchboardDb db, CancellationToken ct) =>
        RenderAsync(http, db, saved switch
        {
            "profile" => new ProfileInput(Notice: "Your profile is saved.", Section: "profile"),
            "password" => new ProfileInput(Notice: "Your password is changed; other sessions were signed out.", Section: "password"),
            _ => new ProfileInput(),
        }, ct);

    private static async Task<IResult> RenderAsync(HttpContext http, SwitchboardDb db, ProfileInput input, CancellationToken ct, int status = 200)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        if (ctx.Customer is not { } me) return TicketPages.SignInFirst(ctx, http);
        var identities = await db.ContactIdentities.AsNoTracking().Where(i => i.ContactId == me.ContactId)
            .OrderBy(i => i.Type).ThenBy(i => i.Id)
            .Select(i => new { i.Type, i.Provider, i.Value })
            .ToListAsync(ct);
        var model = new ProfileModel(
            input.Name ?? me.Name, me.Email, input.Language ?? me.Language,
            identities.Select(i => new IdentityItem(Kind(i.Type, i.Provider), i.Value)).ToList(),
            input.Notice, input.Error, input.Section, input.NewEmail);
        return Pages.Render<ProfilePage>(ctx, model, status);
    }

    private static string Kind(IdentityType type, string provider) => type switch
    {
        IdentityType.Email => "Email",
        IdentityType.Phone => "Phone",
        _ => provider switch
        {
            "" => "Other",
            "chat" => "Chat",
            _ => provider,
        },
    };

    private sealed record ProfileInput(
        string? Name = null, string? Language = null, string? Notice = null, string? Error = null, string? Section = null, string? NewEmail = null);

    /// <summary>The signed-in account, tracked; null when nobody is signed in.</summary>
    private static async Task<CustomerAccount?> AccountAsync(HttpContext http, SwitchboardDb db, CancellationToken ct) =>
        await CustomerAuth.CurrentAsync(http, db, ct) is { } me ? await db.CustomerAccounts.FirstOrDefaultAsync(a => a.Id == me.AccountId, ct) : null;

    private static async Task<IResult> SignInFirstAsync(HttpContext http, SwitchboardDb db, CancellationToken ct) =>
        TicketPages.SignInFirst(await Pages.ContextAsync(http, db, ct), http);

    private static async Task<IResult> SaveAsync(
        [FromForm] string? name, [FromForm] string? language, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var account = await AccountAsync(http, db, ct);
        if (account is null) return await SignInFirstAsync(http, db, ct);
        var displayName = (name ?? "").Trim();
        if (displayName.Length is 0 or > 200)
        {
            return await RenderAsync(http, db, new ProfileInput(name, language, Error: "Please tell us your name (up to 200 characters).", Section: "profile"), ct, 400);
        }
        var code = Languages.Normalize(language);
        if (code is null || !Languages.Supported.Contains(code))
        {
            return await RenderAsync(http, db, new ProfileInput(name, language, Error: "Choose one of the languages offered.", Section: "profile"), ct, 400);
        }
        account.Name = displayName;
        account.Language = code;
        // The contact is who agents see on the tickets: it carries the name the customer chose, and is found by it.
        var contact = await db.Contacts.FirstAsync(c => c.Id == account.ContactId, ct);
        var renamed = contact.Name != displayName;
        contact.Name = displayName;
        contact.UpdatedAt = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        if (renamed) await SearchIndex.ReplaceContactAsync(db, contact, ct);
        await transaction.CommitAsync(ct);
        // The language just chosen wins over one picked earlier with the switch in this browser.
        Languages.Set(http, http.RequestServices.GetRequiredService<PortalUrls>().Base, code);
        return Results.Redirect(http.RequestServices.GetRequiredService<PortalUrls>().Path("/profile?saved=profile"));
    }

    private static async Task<IResult> ChangePasswordAsync(
        [FromForm] string? currentPassword, [FromForm] string? newPassword, HttpContext http, SwitchboardDb db, IOptions<PortalOptions> options,
        CancellationToken ct)
    {
        var account = await AccountAsync(http, db, ct);
        if (account is null) return await SignInFirstAsync(http, db, ct);
        if (!CustomerAuth.VerifyPassword(account, currentPassword ?? ""))
        {
            return await RenderAsync(http, db, new ProfileInput(Error: "The current password is not right.", Section: "password"), ct, 400);
        }
        var o = options.Value;
        if (string.IsNullOrEmpty(newPassword) || newPassword.Length < o.MinPasswordLength || newPassword.Length > 200)
        {
            return await RenderAsync(http, db, new ProfileInput(Error: Pages.Say(http, "The password must have {0} to 200 characters.", o.MinPasswordLength), Section: "password"), ct, 400);
        }
        account.PasswordHash = CustomerAuth.HashPassword(account, newPassword);
        // A new stamp ends every other session; this one gets a cookie with the new stamp.
        account.SecurityStamp = CustomerAuth.NewStamp();
        await db.SaveChangesAsync(ct);
        await CustomerAuth.SignInAsync(http, account);
        return Results.Redirect(http.RequestServices.GetRequiredService<PortalUrls>().Path("/profile?saved=password"));
    }

    private static async Task<IResult> ChangeEmailAsync(
        [FromForm] string? newEmail, [FromForm] string? currentPassword, HttpContext http, SwitchboardDb db, ISystemMailer mailer, PortalUrls urls,
        IOptions<PortalOptions> options, TimeProvider time, IDataProtectionProvider protection, ILoggerFactory logs, CancellationToken ct)
    {
        var account = await AccountAsync(http, db, ct);
        if (account is null) return await SignInFirstAsync(http, db, ct);
        string address;
        try
        {
            address = Parse.Email(newEmail);
        }
        catch (ProblemException)
        {
            return await RenderAsync(http, db, new ProfileInput(Error: Pages.Say(http, "{0} is not a valid email address.", newEmail ?? ""), Section: "email", NewEmail: newEmail), ct, 400);
        }
        if (!CustomerAuth.VerifyPassword(account, currentPassword ?? ""))
        {
            return await RenderAsync(http, db, new ProfileInput(Error: "The current password is not right.", Section: "email", NewEmail: newEmail), ct, 400);
        }
        if (address == account.Email)
        {
            return await RenderAsync(http, db, new ProfileInput(Error: "That is already your email address.", Section: "email", NewEmail: newEmail), ct, 400);
        }
        // An address another account signs in with gets no link, and the page says the same as for any other address: no way to learn who is a customer.
        if (!await db.CustomerAccounts.AnyAsync(a => a.Email == address, ct))
        {
            var lifetime = options.Value.VerificationLifetime;
            var token = Protector(protection).Protect(string.Join('\n',
                account.Id.ToString(CultureInfo.InvariantCulture), account.Email, address,
                (time.GetUtcNow() + lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
            var brand = (await http.RequestServices.GetRequiredService<BrandingCache>().GetAsync(db, ct)).Name;
            var queued = await mailer.QueueAsync(db, new SystemMail(address, Strings.Format(account.Language, "{0}: confirm your new email address", brand),
                Strings.Format(account.Language, "Hello {0},\n\nConfirm this address to use it for your account:\n{1}\n\nThe link works for {2} hours. If you did not ask for this, ignore this message.",
                    account.Name, urls.Absolute("/profile/email/confirm?token=" + Uri.EscapeDataString(token)), Math.Round(lifetime.TotalHours))), ct);
            if (queued) await db.SaveChangesAsync(ct);
            else logs.CreateLogger("Switchboard.Portal").LogWarning("An email change could not be confirmed: no mailbox can send mail.");
        }
        return await RenderAsync(http, db, new ProfileInput(Notice: Pages.Say(http, "We sent a link to {0}. Open it to start using that address.", address), Section: "email"), ct);
    }

    private static IDataProtector Protector(IDataProtectionProvider protection) => protection.CreateProtector(EmailChangePurpose);

    /// <summary>
    /// Opens the mailed link: it names the account, the address it had when the change was asked
    /// (so a link stops working once the address changed again) and the new one; no sign-in needed,
    /// opening the mail is the proof.
    /// </summary>
    private static async Task<IResult> ConfirmEmailAsync(
        string? token, HttpContext http, SwitchboardDb db, ISystemMailer mailer, TimeProvider time, IDataProtectionProvider protection, CancellationToken ct)
    {
        string[] parts;
        try
        {
            parts = token is { Length: > 0 and < 2000 } ? Protector(protection).Unprotect(token).Split('\n') : [];
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            parts = [];
        }
        var now = time.GetUtcNow();
        if (parts.Length != 4
            || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var accountId)
            || !long.TryParse(parts[3], CultureInfo.InvariantCulture, out var expires)
            || DateTimeOffset.FromUnixTimeSeconds(expires) <= now)
        {
            return await LinkFailedAsync(http, db, "The link has expired or was already used. Ask for a new one from your profile.", ct);
        }
        var (oldAddress, address) = (parts[1], parts[2]);
        var account = await db.CustomerAccounts.FirstOrDefaultAsync(a => a.Id == accountId && a.Email == oldAddress, ct);
        if (account is null) return await LinkFailedAsync(http, db, "The link has expired or was already used. Ask for a new one from your profile.", ct);
        if (await db.CustomerAccounts.AnyAsync(a => a.Email == address && a.Id != accountId, ct))
        {
            return await LinkFailedAsync(http, db, "This address is used by another account, so it cannot be yours.", ct);
        }
        var owner = await db.ContactIdentities.Where(i => i.Type == IdentityType.Email && i.Provider == "" && i.Value == address).Select(i => (long?)i.ContactId).FirstOrDefaultAsync(ct);
        if (owner is { } other && other != account.ContactId)
        {
            return await LinkFailedAsync(http, db, "We already know this address as another customer's. Contact us and we will join the two.", ct);
        }
        if (owner is null) db.ContactIdentities.Add(new ContactIdentity { ContactId = account.ContactId, Type = IdentityType.Email, Value = address });
        account.Email = address;
        account.EmailVerifiedAt ??= now;
        // The old address hears of the change: if someone else did it, its owner learns in time.
        var brand = (await http.RequestServices.GetRequiredService<BrandingCache>().GetAsync(db, ct)).Name;
        await mailer.QueueAsync(db, new SystemMail(oldAddress, Strings.Format(account.Language, "{0}: your email address was changed", brand),
            Strings.Format(account.Language, "Hello {0},\n\nYour account now signs in with {1}; mail goes there from now on. If you did not do this, contact us right away.", account.Name, address)), ct);
        await db.SaveChangesAsync(ct);
        var ctx = await Pages.ContextAsync(http, db, ct, Languages.Normalize(http.Request.Query["lang"]) ?? account.Language);
        return Pages.Render<MessagePage>(ctx, new MessageModel("Email address", ctx.F("Your email address is now {0}.", address), false, "Your profile", ctx.Url("/profile")));
    }

    private static async Task<IResult> LinkFailedAsync(HttpContext http, SwitchboardDb db, string message, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        return Pages.Render<MessagePage>(ctx, new MessageModel("This link does not work", message, true, "Your profile", ctx.Url("/profile")), 400);
    }
}
