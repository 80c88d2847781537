using System.Text;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;

namespace Switchboard.Tickets;

/// <summary>Contacts and their identities; the one place that decides when two messages come from the same person.</summary>
public static class Contacts
{
    public static string NormalizeIdentity(IdentityType type, string value)
    {
        var trimmed = value?.Trim() ?? "";
        switch (type)
        {
            case IdentityType.Email:
                return Parse.Email(trimmed);
            case IdentityType.Phone:
                var digits = new StringBuilder();
                foreach (var c in trimmed)
                {
                    if (char.IsAsciiDigit(c)) digits.Append(c);
                }
                if (digits.Length is < 5 or > 15) throw ProblemException.Invalid("phone", $"'{trimmed}' is not a valid phone number.");
                return "+" + digits;
            default:
                if (trimmed.Length is 0 or > 320) throw ProblemException.Invalid("value", "A handle must have 1 to 320 characters.");
                return trimmed;
        }
    }

    /// <summary>The contact with this identity, created (with the identity) when nobody has it yet.</summary>
    public static async Task<Contact> FindOrCreateAsync(
        SwitchboardDb db, IdentityType type, string value, string? provider, string? name, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var normalized = NormalizeIdentity(type, value);
        var providerKey = type == IdentityType.Handle ? (provider?.Trim().ToLowerInvariant() ?? "") : "";
        var existing = await db.ContactIdentities
            .Where(i => i.Type == type && i.Provider == providerKey && i.Value == normalized)
            .Select(i => i.ContactId)
            .FirstOrDefaultAsync(ct);
        if (existing != 0)
        {
            return await db.Contacts.Include(c => c.Identities).FirstAsync(c => c.Id == existing, ct);
        }
        var displayName = string.IsNullOrWhiteSpace(name) ? DefaultName(type, normalized) : name.Trim();
        if (displayName.Length > 200) displayName = displayName[..200];
        var contact = new Contact
        {
            Name = displayName,
            CreatedAt = now,
            UpdatedAt = now,
            Identities = [new ContactIdentity { Type = type, Provider = providerKey, Value = normalized }],
        };
        db.Contacts.Add(contact);
        SearchIndex.AddContact(db, contact);
        return contact;
    }

    private static string DefaultName(IdentityType type, string value) =>
        type == IdentityType.Email ? value.Split('@')[0] : value;

    public static ContactDto ToDto(Contact c) => new(
        c.Id, c.Name, c.CompanyId, c.Company?.Name, c.Notes,
        c.Identities.OrderBy(i => i.Id).Select(i => new IdentityDto(i.Id, i.Type, i.Provider, i.Value)).ToList(),
        c.CreatedAt, c.UpdatedAt, c.MergedIntoId);
}
