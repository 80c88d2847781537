using Microsoft.AspNetCore.Builder;
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
/// Customer accounts: sign-up with a verification mail, sign-in with lockout, password reset by a
/// single-use expiring link, sign-out. Sign-up and reset answer the same whether or not an address
/// has an account, so neither tells a stranger who is a customer.
/// </summary>
internal static class AccountPages
{
    public static void Map(RouteGroupBuilder portal)
    {
        portal.MapGet("/signup", (HttpContext http, SwitchboardDb db, CancellationToken ct) => FormAsync(http, db, new AccountFormModel(AccountForm.SignUp), ct));
        portal.MapPost("/signup", SignUpAsync).RequireRateLimiting(RateLimits.Account);
        portal.MapGet("/verify", VerifyAsync).RequireRateLimiting(RateLimits.Account);
        portal.MapGet("/signin", (string? returnUrl, HttpContext http, SwitchboardDb db, CancellationToken ct) =>
            FormAsync(http, db, new AccountFormModel(AccountForm.SignIn, ReturnUrl: returnUrl), ct));
        portal.MapPost("/signin", SignInAsync).RequireRateLimiting(RateLimits.Account);
        portal.MapPost("/signout", SignOutAsync);
        portal.MapGet("/forgot", (HttpContext http, SwitchboardDb db, CancellationToken ct) => FormAsync(http, db, new AccountFormModel(AccountForm.Forgot), ct));
        portal.MapPost("/forgot", ForgotAsync).RequireRateLimiting(RateLimits.Account);
        portal.MapGet("/reset", ResetFormAsync).RequireRateLimiting(RateLimits.Account);
        portal.MapPost("/reset", ResetAsync).RequireRateLimiting(RateLimits.Account);
    }

    private static async Task<IResult> FormAsync(HttpContext http, SwitchboardDb db, AccountFormModel model, CancellationToken ct, int status = 200) =>
        Pages.Render<AccountPage>(await Pages.ContextAsync(http, db, ct), model, status);

    private static async Task<IResult> MessageAsync(HttpContext http, SwitchboardDb db, MessageModel model, CancellationToken ct, int status = 200) =>
        Pages.Render<MessagePage>(await Pages.ContextAsync(http, db, ct), model, status);

    private static async Task<IResult> SignUpAsync(
        [FromForm] string? name, [FromForm] string? email, [FromForm] string? password,
        HttpContext http, SwitchboardDb db, ISystemMailer mailer, PortalUrls urls, IOptions<PortalOptions> options, TimeProvider time,
        ILoggerFactory logs, CancellationToken ct)
    {
        var o = options.Value;
        string address;
        try
        {
            address = Parse.Email(email);
        }
        catch (ProblemException e)
        {
            return await FormAsync(http, db, new AccountFormModel(AccountForm.SignUp, e.Message, email, name), ct, 400);
        }
        var displayName = (name ?? "").Trim();
        if (displayName.Length is 0 or > 200)
        {
            return await FormAsync(http, db, new AccountFormModel(AccountForm.SignUp, "Please tell us your name (up to 200 characters).", email, name), ct, 400);
        }
        if (string.IsNullOrEmpty(password) || password.Length < o.MinPasswordLength || password.Length > 200)
        {
            return await FormAsync(http, db, new AccountFormModel(AccountForm.SignUp,
                Pages.Say(http, "The password must have {0} to 200 characters.", o.MinPasswordLength), email, name), ct, 400);
        }
        var now = time.GetUtcNow();
        // The account gets its id before its link token refers to it; both, and the mail, commit together or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var account = await db.CustomerAccounts.FirstOrDefaultAsync(a => a.Email == address, ct);
        SystemMail mail;
        if (account is { EmailVerifiedAt: not null })
        {
            // Someone (perhaps the owner) signs up with an address that has an account: the owner hears of it, the form says nothing.
            var language = account.Language;
            mail = new SystemMail(address, Strings.Format(language, "{0}: you already have an account", await BrandAsync(http, db, ct)),
                Strings.Format(language, "Someone asked to create an account with this address, which already has one.\n\nSign in: {0}\nForgot your password? {1}\n\nIf this was not you, you can ignore this message.",
                    urls.Absolute("/signin"), urls.Absolute("/forgot")));
        }
        else
        {
            if (account is null)
            {
                var contact = await Contacts.FindOrCreateAsync(db, IdentityType.Email, address, null, displayName, now, ct);
                account = new CustomerAccount { Contact = contact, Email = address, Name = displayName, CreatedAt = now, SecurityStamp = CustomerAuth.NewStamp() };
                db.CustomerAccounts.Add(account);
                await db.SaveChangesAsync(ct);
            }
            // An unverified account belongs to whoever opens the mail; the newest sign-up's details win.
            account.Name = displayName;
            account.PasswordHash = CustomerAuth.HashPassword(account, password);
            account.Language = Languages.FromRequest(http);
            var token = IssueToken(db, account, CustomerTokenPurpose.Verify, now, o.VerificationLifetime);
            mail = new SystemMail(address, Strings.Format(account.Language, "{0}: confirm your email address", await BrandAsync(http, db, ct)),
                Strings.Format(account.Language, "Hello {0},\n\nConfirm your address to finish creating your account:\n{1}\n\nThe link works once, for {2} hours. If you did not sign up, ignore this message.",
                    displayName, urls.Absolute("/verify?token=" + token), Math.Round(o.VerificationLifetime.TotalHours)));
        }
        if (!await mailer.QueueAsync(db, mail, ct))
        {
            logs.CreateLogger("Switchboard.Portal").LogWarning("A portal sign-up could not be completed: no mailbox can send mail.");
            return await MessageAsync(http, db, new MessageModel("Sign-up is not available",
                "This help center cannot send email yet, so accounts cannot be confirmed. Please contact us another way.", true), ct, 503);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return await MessageAsync(http, db, new MessageModel("Check your email",
            Pages.Say(http, "We sent a message to {0}. Open the link in it to confirm your address and finish signing up.", address)), ct);
    }

    private static async Task<string> BrandAsync(HttpContext http, SwitchboardDb db, CancellationToken ct) =>
        (await http.RequestServices.GetRequiredService<BrandingCache>().GetAsync(db, ct)).Name;

    private static string IssueToken(SwitchboardDb db, CustomerAccount account, CustomerTokenPurpose purpose, DateTimeOffset now, TimeSpan lifetime)
    {
        var (token, hash) = CustomerAuth.NewLinkToken();
        db.CustomerTokens.Add(new CustomerToken
        {
            AccountId = account.Id,
            Purpose = purpose,
            TokenHash = hash,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        });
        return token;
    }

    private static async Task<CustomerToken?> ValidTokenAsync(SwitchboardDb db, string? token, CustomerTokenPurpose purpose, DateTimeOffset now, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100) return null;
        var hash = CustomerAuth.HashToken(token);
        return await db.CustomerTokens.FirstOrDefaultAsync(t => t.TokenHash == hash && t.Purpose == purpose && t.UsedAt == null && t.ExpiresAt > now, ct);
    }

    private static async Task<IResult> VerifyAsync(string? token, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var link = await ValidTokenAsync(db, token, CustomerTokenPurpose.Verify, now, ct);
        if (link is null)
        {
            return await MessageAsync(http, db, new MessageModel("This link does not work",
                "The confirmation link has expired or was already used. Sign in to get a new one.", true, "Sign in", http.RequestServices.GetRequiredService<PortalUrls>().Path("/signin")), ct, 400);
        }
        var account = await db.CustomerAccounts.FirstAsync(a => a.Id == link.AccountId, ct);
        link.UsedAt = now;
        account.EmailVerifiedAt ??= now;
        await db.SaveChangesAsync(ct);
        await CustomerAuth.SignInAsync(http, account);
        return Results.Redirect(http.RequestServices.GetRequiredService<PortalUrls>().Path("/tickets?welcome=1"));
    }

    private static async Task<IResult> SignInAsync(
        [FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl,
        HttpContext http, SwitchboardDb db, ISystemMailer mailer, PortalUrls urls, IOptions<PortalOptions> options, TimeProvider time, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var address = (email ?? "").Trim().ToLowerInvariant();
        var account = address.Length == 0 ? null : await db.CustomerAccounts.FirstOrDefaultAsync(a => a.Email == address, ct);
        AccountFormModel Failed(string message) => new(AccountForm.SignIn, message, email, ReturnUrl: returnUrl);
        if (account is null)
        {
            // Same work as a real check, so the answer's timing does not tell whether the address has an account.
            CustomerAuth.VerifyPassword(new CustomerAccount { Email = "", Name = "", PasswordHash = DummyHash }, password ?? "");
            return await FormAsync(http, db, Failed("The email address or password is not right."), ct, 400);
        }
        if (account.LockedUntil > now)
        {
            return await FormAsync(http, db, Failed("Too many failed attempts. Try again later, or reset your password."), ct, 423);
        }
        if (!CustomerAuth.VerifyPassword(account, password ?? ""))
        {
            account.FailedSignIns++;
            if (account.FailedSignIns >= o.MaxFailedSignIns)
            {
                account.LockedUntil = now + o.LockoutDuration;
                account.FailedSignIns = 0;
            }
            await db.SaveChangesAsync(ct);
            return await FormAsync(http, db, Failed("The email address or password is not right."), ct, 400);
        }
        account.FailedSignIns = 0;
        account.LockedUntil = null;
        if (account.EmailVerifiedAt is null)
        {
            var token = IssueToken(db, account, CustomerTokenPurpose.Verify, now, o.VerificationLifetime);
            await mailer.QueueAsync(db, new SystemMail(account.Email, Strings.Format(account.Language, "{0}: confirm your email address", await BrandAsync(http, db, ct)),
                Strings.Format(account.Language, "Confirm your address to finish creating your account:\n{0}", urls.Absolute("/verify?token=" + token))), ct);
            await db.SaveChangesAsync(ct);
            return await FormAsync(http, db, Failed("Please confirm your email address first: we sent you a new link."), ct, 400);
        }
        await db.SaveChangesAsync(ct);
        await CustomerAuth.SignInAsync(http, account);
        var target = returnUrl is { Length: > 0 } && returnUrl.StartsWith(urls.Base + "/", StringComparison.Ordinal) && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            ? returnUrl
            : urls.Path("/tickets");
        return Results.Redirect(target);
    }

    private static readonly string DummyHash = CustomerAuth.HashPassword(new CustomerAccount { Email = "", Name = "" }, "not a real password");

    private static async Task<IResult> SignOutAsync(HttpContext http, PortalUrls urls)
    {
        await CustomerAuth.SignOutAsync(http);
        return Results.Redirect(urls.Path("/"));
    }

    private static async Task<IResult> ForgotAsync(
        [FromForm] string? email, HttpContext http, SwitchboardDb db, ISystemMailer mailer, PortalUrls urls, IOptions<PortalOptions> options,
        TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var address = (email ?? "").Trim().ToLowerInvariant();
        var account = address.Length == 0 ? null : await db.CustomerAccounts.FirstOrDefaultAsync(a => a.Email == address, ct);
        if (account is not null)
        {
            var o = options.Value;
            var token = IssueToken(db, account, CustomerTokenPurpose.Reset, time.GetUtcNow(), o.ResetLifetime);
            var queued = await mailer.QueueAsync(db, new SystemMail(account.Email, Strings.Format(account.Language, "{0}: reset your password", await BrandAsync(http, db, ct)),
                Strings.Format(account.Language, "Hello {0},\n\nChoose a new password here:\n{1}\n\nThe link works once, for {2} minutes. If you did not ask for this, ignore this message.",
                    account.Name, urls.Absolute("/reset?token=" + token), Math.Round(o.ResetLifetime.TotalMinutes))), ct);
            if (queued) await db.SaveChangesAsync(ct);
            else logs.CreateLogger("Switchboard.Portal").LogWarning("A password reset mail could not be queued: no mailbox can send mail.");
        }
        return await MessageAsync(http, db, new MessageModel("Check your email",
            "If an account exists for that address, we sent it a link to choose a new password."), ct);
    }

    private static async Task<IResult> ResetFormAsync(string? token, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        if (await ValidTokenAsync(db, token, CustomerTokenPurpose.Reset, time.GetUtcNow(), ct) is null) return await ExpiredAsync(http, db, ct);
        return await FormAsync(http, db, new AccountFormModel(AccountForm.Reset, Token: token), ct);
    }

    private static async Task<IResult> ExpiredAsync(HttpContext http, SwitchboardDb db, CancellationToken ct) =>
        await MessageAsync(http, db, new MessageModel("This link does not work",
            "The reset link has expired or was already used. Ask for a new one.", true, "Reset your password",
            http.RequestServices.GetRequiredService<PortalUrls>().Path("/forgot")), ct, 400);

    private static async Task<IResult> ResetAsync(
        [FromForm] string? token, [FromForm] string? password, HttpContext http, SwitchboardDb db, IOptions<PortalOptions> options,
        TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var link = await ValidTokenAsync(db, token, CustomerTokenPurpose.Reset, now, ct);
        if (link is null) return await ExpiredAsync(http, db, ct);
        var o = options.Value;
        if (string.IsNullOrEmpty(password) || password.Length < o.MinPasswordLength || password.Length > 200)
        {
            return await FormAsync(http, db, new AccountFormModel(AccountForm.Reset, Pages.Say(http, "The password must have {0} to 200 characters.", o.MinPasswordLength), Token: token), ct, 400);
        }
        var account = await db.CustomerAccounts.FirstAsync(a => a.Id == link.AccountId, ct);
        account.PasswordHash = CustomerAuth.HashPassword(account, password);
        account.SecurityStamp = CustomerAuth.NewStamp();
        account.FailedSignIns = 0;
        account.LockedUntil = null;
        // Opening the mail proves the address, as the verification link would.
        account.EmailVerifiedAt ??= now;
        link.UsedAt = now;
        await db.SaveChangesAsync(ct);
        // Every other reset link of the account stops working too.
        await db.CustomerTokens.Where(t => t.AccountId == account.Id && t.Purpose == CustomerTokenPurpose.Reset && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), ct);
        await CustomerAuth.SignOutAsync(http);
        return await MessageAsync(http, db, new MessageModel("Password changed",
            "Your password is changed, and other sessions were signed out.", false, "Sign in", http.RequestServices.GetRequiredService<PortalUrls>().Path("/signin")), ct);
    }
}
