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

    /// <summary>
    /// The contacts with these identities, in one query for the lot; the missing ones are added (with
    /// their identity) and not saved. Values must be normalized (<see cref="NormalizeIdentity"/>); the
    /// first name given for a new value is used. Keyed by normalized value. For identities without a
    /// provider (email, phone).
    /// </summary>
    public static async Task<Dictionary<string, Contact>> FindOrCreateManyAsync(
        SwitchboardDb db, IdentityType type, IReadOnlyCollection<(string Value, string? Name)> people, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(people);
        if (type == IdentityType.Handle) throw new ArgumentException("Handles need a provider; use FindOrCreateAsync.", nameof(type));
        var values = people.Select(p => p.Value).Distinct(StringComparer.Ordinal).ToList();
        var found = new Dictionary<string, Contact>(StringComparer.Ordinal);
        if (values.Count == 0) return found;
        var identities = await db.ContactIdentities.AsNoTracking()
            .Where(i => i.Type == type && i.Provider == "" && values.Contains(i.Value))
            .Select(i => new { i.Value, i.ContactId })
            .ToListAsync(ct);
        var contactIds = identities.Select(i => i.ContactId).Distinct().ToList();
        var contacts = await db.Contacts.Where(c => contactIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        foreach (var identity in identities)
        {
            if (contacts.TryGetValue(identity.ContactId, out var contact)) found[identity.Value] = contact;
        }
        foreach (var (value, name) in people)
        {
            if (found.ContainsKey(value)) continue;
            var displayName = string.IsNullOrWhiteSpace(name) ? DefaultName(type, value) : name.Trim();
            if (displayName.Length > 200) displayName = displayName[..200];
            var contact = new Contact
            {
                Name = displayName,
                CreatedAt = now,
                UpdatedAt = now,
                Identities = [new ContactIdentity { Type = type, Provider = "", Value = value }],
            };
            db.Contacts.Add(contact);
            SearchIndex.AddContact(db, contact);
            found[value] = contact;
        }
        return found;
    }

    private static string DefaultName(IdentityType type, string value) =>
        type == IdentityType.Email ? value.Split('@')[0] : value;

    public static ContactDto ToDto(Contact c) => new(
        c.Id, c.Name, c.CompanyId, c.Company?.Name, c.Notes,
        c.Identities.OrderBy(i => i.Id).Select(i => new IdentityDto(i.Id, i.Type, i.Provider, i.Value)).ToList(),
        c.CreatedAt, c.UpdatedAt, c.MergedIntoId);
}
