using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Portal;

/// <summary>The signed-in customer as portal pages see them.</summary>
public sealed record CurrentCustomer(long AccountId, long ContactId, string Name, string Email, string Language);

/// <summary>
/// The portal's own cookie scheme. Its principal carries only customer claims, so agent endpoints
/// (bearer tokens, the agent policy) never accept it; portal pages read only this scheme, so an
/// agent's token never makes anyone a customer.
/// </summary>
internal static class CustomerAuth
{
    public const string Scheme = "PortalCustomer";
    public const string AccountClaim = "sb:customer";
    public const string StampClaim = "sb:stamp";
    private static readonly object ItemKey = new();
    private static readonly PasswordHasher<CustomerAccount> Hasher = new();

    public static string HashPassword(CustomerAccount account, string password) => Hasher.HashPassword(account, password);

    public static bool VerifyPassword(CustomerAccount account, string password) =>
        account.PasswordHash.Length > 0 && Hasher.VerifyHashedPassword(account, account.PasswordHash, password) != PasswordVerificationResult.Failed;

    public static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static Task SignInAsync(HttpContext http, CustomerAccount account)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(AccountClaim, account.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(StampClaim, account.SecurityStamp),
                new Claim(ClaimTypes.Name, account.Name),
            ],
            Scheme);
        // A browser-session cookie; the ticket inside it still expires after the configured lifetime (sliding).
        return http.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
    }

    public static Task SignOutAsync(HttpContext http) => http.SignOutAsync(Scheme);

    /// <summary>
    /// The customer of this request's portal cookie, or null. The account must still exist, be
    /// verified and carry the same security stamp (a password reset ends other sessions).
    /// </summary>
    public static async Task<CurrentCustomer?> CurrentAsync(HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        if (http.Items.TryGetValue(ItemKey, out var cached)) return (CurrentCustomer?)cached;
        CurrentCustomer? customer = null;
        var result = await http.AuthenticateAsync(Scheme);
        if (result.Succeeded
            && long.TryParse(result.Principal.FindFirstValue(AccountClaim), CultureInfo.InvariantCulture, out var id)
            && result.Principal.FindFirstValue(StampClaim) is { } stamp)
        {
            customer = await db.CustomerAccounts.AsNoTracking()
                .Where(a => a.Id == id && a.SecurityStamp == stamp && a.EmailVerifiedAt != null)
                .Select(a => new CurrentCustomer(a.Id, a.ContactId, a.Name, a.Email, a.Language))
                .FirstOrDefaultAsync(ct);
        }
        http.Items[ItemKey] = customer;
        return customer;
    }

    /// <summary>The customer <see cref="CurrentAsync"/> found for this request, if it already ran.</summary>
    public static CurrentCustomer? Cached(HttpContext http) => http.Items.TryGetValue(ItemKey, out var cached) ? (CurrentCustomer?)cached : null;

    /// <summary>A random token for a mail link, and the hash that is stored.</summary>
    public static (string Token, string Hash) NewLinkToken()
    {
        var token = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (token, HashToken(token));
    }

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
