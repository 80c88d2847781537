using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Email;

/// <summary>
/// Our outbound Message-IDs name the ticket and carry an HMAC made with an instance secret:
/// <c>sb.{ticket}.{random}.{mac}@domain</c>. A reply quoting one threads into that ticket, and
/// nobody can make up an id that threads into a ticket of their choosing.
/// </summary>
internal sealed class MessageIds(byte[] secret)
{
    private const string SecretKey = "email-message-id-secret";

    public static async Task<MessageIds> LoadAsync(SwitchboardDb db, CancellationToken ct)
    {
        var setting = await db.InstanceSettings.FirstOrDefaultAsync(s => s.Key == SecretKey, ct);
        if (setting is null)
        {
            setting = new InstanceSetting { Key = SecretKey, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
            db.InstanceSettings.Add(setting);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another node created it first; use theirs.
                db.ChangeTracker.Clear();
                setting = await db.InstanceSettings.AsNoTracking().FirstAsync(s => s.Key == SecretKey, ct);
            }
        }
        return new MessageIds(Convert.FromBase64String(setting.Value));
    }

    public string Create(long ticketId, string domain)
    {
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var body = string.Create(CultureInfo.InvariantCulture, $"sb.{ticketId}.{nonce}");
        return $"{body}.{Mac(body)}@{domain}";
    }

    /// <summary>The ticket named by one of our ids, when its signature checks out.</summary>
    public long? TicketOf(string messageId)
    {
        var at = messageId.IndexOf('@', StringComparison.Ordinal);
        var local = at < 0 ? messageId : messageId[..at];
        var parts = local.Split('.');
        if (parts.Length != 4 || parts[0] != "sb") return null;
        var body = $"{parts[0]}.{parts[1]}.{parts[2]}";
        var expected = Encoding.ASCII.GetBytes(Mac(body));
        var given = Encoding.ASCII.GetBytes(parts[3]);
        if (!CryptographicOperations.FixedTimeEquals(expected, given)) return null;
        return long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    private string Mac(string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(body)))[..20];
}
