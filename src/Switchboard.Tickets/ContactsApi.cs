using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Search;
using Switchboard.Core.Security;

namespace Switchboard.Tickets;

internal static class ContactsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var contacts = api.MapGroup("/contacts").WithTags("Contacts").RequireAuthorization(Policies.Agent);
        contacts.MapGet("/", ListAsync).WithSummary("Search contacts by name (full text) or by an exact email address or phone number.");
        contacts.MapGet("/{id:long}", GetAsync);
        contacts.MapPost("/", CreateAsync);
        contacts.MapPatch("/{id:long}", UpdateAsync);
        contacts.MapPost("/find-or-create", FindOrCreateAsync).WithSummary("The contact with this identity, created when nobody has it.");
        contacts.MapPost("/{id:long}/identities", AddIdentityAsync);
        contacts.MapDelete("/{id:long}/identities/{identityId:long}", RemoveIdentityAsync);
        contacts.MapPost("/{id:long}/merge", MergeAsync).WithSummary("Merge another contact into this one: identities and tickets move here.");
    }

    private static IQueryable<Contact> WithDetails(SwitchboardDb db) =>
        db.Contacts.AsNoTracking().Include(c => c.Identities).Include(c => c.Company);

    private static async Task<Ok<PageDto<ContactDto>>> ListAsync(string? q, long? companyId, long? cursor, int? limit, SwitchboardDb db, CancellationToken ct)
    {
        var take = limit ?? 25;
        if (take is < 1 or > 100) throw ProblemException.Invalid("limit", "limit must be between 1 and 100.");
        var contacts = WithDetails(db).Where(c => c.MergedIntoId == null);
        if (companyId is { } company) contacts = contacts.Where(c => c.CompanyId == company);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            var identity = text.ToLowerInvariant();
            var byIdentity = db.ContactIdentities.Where(i => i.Value == identity || i.Value == "+" + identity.TrimStart('+')).Select(i => i.ContactId);
            var search = SearchQuery.Parse(text);
            if (search.IsEmpty)
            {
                contacts = contacts.Where(c => byIdentity.Contains(c.Id));
            }
            else
            {
                var byName = SearchIndex.Match(db, search).Where(e => e.ContactId != null).Select(e => e.ContactId!.Value);
                contacts = contacts.Where(c => byName.Contains(c.Id) || byIdentity.Contains(c.Id));
            }
        }
        if (cursor is { } after) contacts = contacts.Where(c => c.Id < after);
        var page = await contacts.OrderByDescending(c => c.Id).Take(take + 1).ToListAsync(ct);
        string? next = null;
        if (page.Count > take)
        {
            page.RemoveAt(page.Count - 1);
            next = page[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return TypedResults.Ok(new PageDto<ContactDto>(page.Select(Contacts.ToDto).ToList(), next));
    }

    private static async Task<ContactDto> OneAsync(SwitchboardDb db, long id, CancellationToken ct) =>
        Contacts.ToDto(await WithDetails(db).FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw ProblemException.NotFound($"Contact {id}"));

    private static async Task<Ok<ContactDto>> GetAsync(long id, SwitchboardDb db, CancellationToken ct) =>
        TypedResults.Ok(await OneAsync(db, id, ct));

    private static async Task<Created<ContactDto>> CreateAsync(CreateContactRequest request, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var contact = new Contact
        {
            Name = Parse.Text(request.Name, "name", 200),
            Notes = request.Notes is null ? null : Parse.Text(request.Notes, "notes", 10_000, required: false),
            CompanyId = await CompanyIdAsync(db, request.CompanyId, ct),
            CreatedAt = now,
            UpdatedAt = now,
        };
        foreach (var input in request.Identities ?? [])
        {
            contact.Identities.Add(await NewIdentityAsync(db, input, ct));
        }
        db.Contacts.Add(contact);
        SearchIndex.AddContact(db, contact);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/contacts/{contact.Id}", await OneAsync(db, contact.Id, ct));
    }

    private static async Task<Ok<ContactDto>> UpdateAsync(long id, UpdateContactRequest request, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw ProblemException.NotFound($"Contact {id}");
        if (request.Name is not null)
        {
            contact.Name = Parse.Text(request.Name, "name", 200);
            await SearchIndex.ReplaceContactAsync(db, contact, ct);
        }
        if (request.Notes is not null) contact.Notes = Parse.Text(request.Notes, "notes", 10_000, required: false);
        if (request.ClearCompany == true) contact.CompanyId = null;
        else if (request.CompanyId is not null) contact.CompanyId = await CompanyIdAsync(db, request.CompanyId, ct);
        contact.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await OneAsync(db, id, ct));
    }

    private static async Task<Ok<ContactDto>> FindOrCreateAsync(FindOrCreateContactRequest request, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var type = Parse.Enum<IdentityType>(request.Type ?? "", "type");
        var contact = await Contacts.FindOrCreateAsync(db, type, request.Value ?? "", request.Provider, request.Name, time.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await OneAsync(db, contact.MergedIntoId ?? contact.Id, ct));
    }

    private static async Task<Created<ContactDto>> AddIdentityAsync(long id, IdentityInput input, SwitchboardDb db, CancellationToken ct)
    {
        var contact = await db.Contacts.Include(c => c.Identities).FirstOrDefaultAsync(c => c.Id == id && c.MergedIntoId == null, ct)
            ?? throw ProblemException.NotFound($"Contact {id}");
        contact.Identities.Add(await NewIdentityAsync(db, input, ct));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/contacts/{id}", await OneAsync(db, id, ct));
    }

    private static async Task<NoContent> RemoveIdentityAsync(long id, long identityId, SwitchboardDb db, CancellationToken ct)
    {
        var deleted = await db.ContactIdentities.Where(i => i.Id == identityId && i.ContactId == id).ExecuteDeleteAsync(ct);
        if (deleted == 0) throw ProblemException.NotFound($"Identity {identityId} of contact {id}");
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ContactDto>> MergeAsync(
        long id, MergeContactRequest request, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var agent = CurrentAgent.From(http.User)!;
        if (request.SourceContactId is not { } sourceId) throw ProblemException.Invalid("sourceContactId", "Say which contact to merge into this one.");
        if (sourceId == id) throw ProblemException.Invalid("sourceContactId", "A contact cannot be merged into itself.");
        var target = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id && c.MergedIntoId == null, ct) ?? throw ProblemException.NotFound($"Contact {id}");
        var source = await db.Contacts.FirstOrDefaultAsync(c => c.Id == sourceId && c.MergedIntoId == null, ct) ?? throw ProblemException.NotFound($"Contact {sourceId}");
        var now = time.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.ContactIdentities.Where(i => i.ContactId == sourceId).ExecuteUpdateAsync(s => s.SetProperty(i => i.ContactId, id), ct);
        var tickets = await db.Tickets.Where(t => t.CustomerId == sourceId).ToListAsync(ct);
        foreach (var ticket in tickets)
        {
            History.Change(db, ticket, Actor.Of(agent), now, "customer", sourceId, id);
            ticket.CustomerId = id;
        }
        await db.Messages.Where(m => m.AuthorContactId == sourceId).ExecuteUpdateAsync(s => s.SetProperty(m => m.AuthorContactId, id), ct);
        await db.SearchEntries.Where(e => e.ContactId == sourceId).ExecuteDeleteAsync(ct);
        target.CompanyId ??= source.CompanyId;
        if (!string.IsNullOrEmpty(source.Notes)) target.Notes = string.IsNullOrEmpty(target.Notes) ? source.Notes : target.Notes + "\n\n" + source.Notes;
        target.UpdatedAt = now;
        source.MergedIntoId = id;
        source.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(await OneAsync(db, id, ct));
    }

    private static async Task<ContactIdentity> NewIdentityAsync(SwitchboardDb db, IdentityInput input, CancellationToken ct)
    {
        var type = Parse.Enum<IdentityType>(input.Type ?? "", "type");
        var value = Contacts.NormalizeIdentity(type, input.Value ?? "");
        var provider = type == IdentityType.Handle ? (input.Provider?.Trim().ToLowerInvariant() ?? "") : "";
        var owner = await db.ContactIdentities.Where(i => i.Type == type && i.Provider == provider && i.Value == value).Select(i => (long?)i.ContactId).FirstOrDefaultAsync(ct);
        if (owner is { } other) throw ProblemException.Conflict($"{value} already belongs to contact {other}; merge the two contacts instead.");
        return new ContactIdentity { Type = type, Provider = provider, Value = value };
    }

    private static async Task<long?> CompanyIdAsync(SwitchboardDb db, long? companyId, CancellationToken ct)
    {
        if (companyId is not { } id) return null;
        return await db.Companies.AnyAsync(c => c.Id == id, ct) ? id : throw ProblemException.Invalid("companyId", $"Company {id} does not exist.");
    }
}
