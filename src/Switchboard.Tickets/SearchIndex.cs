using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Core.Search;

namespace Switchboard.Tickets;

/// <summary>
/// Keeps <see cref="SearchEntry"/> rows beside tickets, messages and contacts, and finds them.
/// SQLite indexes the tokens with FTS5, PostgreSQL with a GIN index over
/// <c>array_to_tsvector</c>; both are created by the migrations.
/// </summary>
public static class SearchIndex
{
    public static void AddSubject(SwitchboardDb db, Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(ticket);
        db.SearchEntries.Add(new SearchEntry { Kind = SearchEntryKind.Subject, Ticket = ticket, Tokens = SearchText.Tokenize(ticket.Subject) });
    }

    public static void AddMessage(SwitchboardDb db, Ticket ticket, Message message)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(message);
        db.SearchEntries.Add(new SearchEntry
        {
            Kind = SearchEntryKind.Message,
            Ticket = ticket,
            Message = message,
            Tokens = SearchText.Tokenize(message.BodyText),
        });
    }

    public static void AddContact(SwitchboardDb db, Contact contact)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(contact);
        db.SearchEntries.Add(new SearchEntry { Kind = SearchEntryKind.Contact, Contact = contact, Tokens = SearchText.Tokenize(contact.Name) });
    }

    public static Task ReplaceSubjectAsync(SwitchboardDb db, Ticket ticket, CancellationToken ct) =>
        db.SearchEntries.Where(e => e.TicketId == ticket.Id && e.Kind == SearchEntryKind.Subject)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Tokens, SearchText.Tokenize(ticket.Subject)), ct);

    public static Task ReplaceContactAsync(SwitchboardDb db, Contact contact, CancellationToken ct) =>
        db.SearchEntries.Where(e => e.ContactId == contact.Id && e.Kind == SearchEntryKind.Contact)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Tokens, SearchText.Tokenize(contact.Name)), ct);

    /// <summary>Entries containing every term of the query.</summary>
    public static IQueryable<SearchEntry> Match(SwitchboardDb db, SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        return db.IsSqlite
            ? db.SearchEntries.FromSqlRaw(
                "SELECT * FROM search_entries WHERE id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH {0})", query.ToFts5())
            : db.SearchEntries.FromSqlRaw(
                "SELECT * FROM search_entries WHERE array_to_tsvector(string_to_array(tokens, ' ')) @@ {0}::tsquery", query.ToTsQuery());
    }

    /// <summary>Tickets whose subject or a message matches, or whose customer's name does.</summary>
    public static IQueryable<Ticket> Matching(this IQueryable<Ticket> tickets, SwitchboardDb db, SearchQuery query)
    {
        var hits = Match(db, query);
        var ticketIds = hits.Where(e => e.TicketId != null).Select(e => e.TicketId!.Value);
        var contactIds = hits.Where(e => e.ContactId != null).Select(e => e.ContactId!.Value);
        return tickets.Where(t => ticketIds.Contains(t.Id) || contactIds.Contains(t.CustomerId));
    }
}
