using System.Globalization;
using System.Text.Json;
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

    /// <summary>
    /// Above about this many matching entries a search is answered newest ticket first, checking
    /// each ticket's entries against the index until a page is full. Below it the matching entries
    /// are read first and their tickets sorted. Each way is fast in its own case and takes seconds
    /// in the other: reading half a million entries for a common word, or visiting every ticket
    /// for a rare one.
    /// </summary>
    public const int CommonTermEntries = 10_000;

    /// <summary>The tickets matching a search, with the query shape that suits how common its terms are.</summary>
    internal static async Task<IQueryable<Ticket>> MatchingTicketsAsync(SwitchboardDb db, SearchQuery query, TicketSort sort, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        if (!await LooksCommonAsync(db, query, ct))
        {
            var hits = await Match(db, query).Select(e => new { e.TicketId, e.ContactId }).Take(CommonTermEntries + 1).ToListAsync(ct);
            if (hits.Count <= CommonTermEntries)
            {
                // Plain id lists: the database starts from these few rows instead of guessing how many match.
                var ticketIds = hits.Where(h => h.TicketId != null).Select(h => h.TicketId!.Value).Distinct().ToArray();
                var contactIds = hits.Where(h => h.ContactId != null).Select(h => h.ContactId!.Value).Distinct().ToArray();
                return db.Tickets.Where(t => ticketIds.Contains(t.Id) || contactIds.Contains(t.CustomerId));
            }
        }
        // The walk must follow the sort order. Without statistics SQLite would rather take an equality
        // filter's index (status = 'open') and check every ticket it yields, so the index is named.
        // OFFSET 0 keeps PostgreSQL from hashing every match up front.
        return db.IsSqlite
            ? db.Tickets.FromSqlRaw(sort.Field switch
            {
                "updatedAt" => SqliteWalkByUpdated,
                "createdAt" => SqliteWalkByCreated,
                _ => SqliteWalkById,
            }, query.ToFts5())
            : db.Tickets.FromSqlRaw("""
                SELECT t.* FROM tickets AS t
                WHERE EXISTS (SELECT 1 FROM search_entries AS e WHERE e.ticket_id = t.id
                              AND array_to_tsvector(string_to_array(e.tokens, ' ')) @@ {0}::tsquery OFFSET 0)
                   OR EXISTS (SELECT 1 FROM search_entries AS e WHERE e.contact_id = t.customer_id
                              AND array_to_tsvector(string_to_array(e.tokens, ' ')) @@ {0}::tsquery OFFSET 0)
                """, query.ToTsQuery());
    }

    private const string SqliteWalk = """
        SELECT t.* FROM tickets AS t INDEX_CHOICE
        WHERE EXISTS (SELECT 1 FROM search_entries AS e WHERE e.ticket_id = t.id
                      AND e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH {0} AND rowid = e.id))
           OR EXISTS (SELECT 1 FROM search_entries AS e WHERE e.contact_id = t.customer_id
                      AND e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH {0} AND rowid = e.id))
        """;

    private static readonly string SqliteWalkByUpdated = SqliteWalk.Replace("INDEX_CHOICE", "INDEXED BY ix_tickets_updated_at_id", StringComparison.Ordinal);
    private static readonly string SqliteWalkByCreated = SqliteWalk.Replace("INDEX_CHOICE", "INDEXED BY ix_tickets_created_at_id", StringComparison.Ordinal);
    private static readonly string SqliteWalkById = SqliteWalk.Replace("INDEX_CHOICE", "NOT INDEXED", StringComparison.Ordinal);

    /// <summary>
    /// SQLite counts matches in the FTS index (row ids only, cheap). PostgreSQL's GIN index has to
    /// read a term's whole posting list to count it, so the planner's estimate is asked instead:
    /// ANALYZE keeps the frequencies of the most common terms, and rarer ones are estimated low.
    /// </summary>
    private static async Task<bool> LooksCommonAsync(SwitchboardDb db, SearchQuery query, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = connection.CreateCommand();
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = "q";
            cmd.Parameters.Add(parameter);
            if (db.IsSqlite)
            {
                cmd.CommandText = $"SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH @q LIMIT {CommonTermEntries + 1})";
                parameter.Value = query.ToFts5();
                return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > CommonTermEntries;
            }
            cmd.CommandText = "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_entries WHERE array_to_tsvector(string_to_array(tokens, ' ')) @@ @q::tsquery";
            parameter.Value = query.ToTsQuery();
            using var plan = JsonDocument.Parse((string)(await cmd.ExecuteScalarAsync(ct))!);
            return plan.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble() > CommonTermEntries;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
