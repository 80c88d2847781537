using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Core.Search;

namespace Switchboard.Tickets;

/// <summary>
/// Keeps <see cref="SearchEntry"/> rows beside tickets, messages and contacts, and finds them.
/// SQLite indexes the tokens with FTS5, PostgreSQL with a GIN index over
/// <c>array_to_tsvector</c>; both are created by the migrations. Neither keeps positions or counts,
/// so an entry holds each term once (<see cref="SearchText.IndexTokens"/>).
/// </summary>
public static class SearchIndex
{
    public static void AddSubject(SwitchboardDb db, Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.SearchEntries.Add(SubjectEntry(ticket));
    }

    public static void AddMessage(SwitchboardDb db, Ticket ticket, Message message)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.SearchEntries.Add(MessageEntry(ticket, message));
    }

    /// <summary>The entry for a ticket's subject, not added to any context.</summary>
    public static SearchEntry SubjectEntry(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return new SearchEntry { Kind = SearchEntryKind.Subject, Ticket = ticket, Tokens = SearchText.IndexTokens(ticket.Subject) };
    }

    /// <summary>The entry for a message's text, not added to any context.</summary>
    public static SearchEntry MessageEntry(Ticket ticket, Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new SearchEntry
        {
            Kind = SearchEntryKind.Message,
            Ticket = ticket,
            Message = message,
            Tokens = SearchText.IndexTokens(message.BodyText),
        };
    }

    public static void AddContact(SwitchboardDb db, Contact contact)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(contact);
        db.SearchEntries.Add(new SearchEntry { Kind = SearchEntryKind.Contact, Contact = contact, Tokens = SearchText.IndexTokens(contact.Name) });
    }

    public static Task ReplaceSubjectAsync(SwitchboardDb db, Ticket ticket, CancellationToken ct) =>
        db.SearchEntries.Where(e => e.TicketId == ticket.Id && e.Kind == SearchEntryKind.Subject)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Tokens, SearchText.IndexTokens(ticket.Subject)), ct);

    public static Task ReplaceContactAsync(SwitchboardDb db, Contact contact, CancellationToken ct) =>
        db.SearchEntries.Where(e => e.ContactId == contact.Id && e.Kind == SearchEntryKind.Contact)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Tokens, SearchText.IndexTokens(contact.Name)), ct);

    /// <summary>Entries containing every term of the query.</summary>
    public static IQueryable<SearchEntry> Match(SwitchboardDb db, SearchQuery query) => Match(db, query, limited: false);

    /// <summary>
    /// Entries containing every term of the query; with <paramref name="limited"/>, at most
    /// <see cref="CommonTermEntries"/> + 1 of them. The limit is written into the statement: as a
    /// parameter (<c>Take</c>), PostgreSQL's generic plan for the prepared statement took it for a small
    /// one and scanned every entry, computing each one's terms, in the hope of finding a few early:
    /// 100–500 ms for a term that is rare or absent, growing with the table.
    /// </summary>
    private static IQueryable<SearchEntry> Match(SwitchboardDb db, SearchQuery query, bool limited)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        var sql = (db.IsSqlite, limited) switch
        {
            (true, false) => SqliteMatch,
            (true, true) => SqliteMatchLimited,
            (false, false) => PostgresMatch,
            (false, true) => PostgresMatchLimited,
        };
        return db.SearchEntries.FromSqlRaw(sql, db.IsSqlite ? query.ToFts5() : query.ToTsQuery());
    }

    private const string SqliteMatch = "SELECT * FROM search_entries WHERE id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH {0})";
    private const string PostgresMatch = "SELECT * FROM search_entries WHERE array_to_tsvector(string_to_array(tokens, ' ')) @@ {0}::tsquery";
    private static readonly string SqliteMatchLimited = $"{SqliteMatch} LIMIT {CommonTermEntries + 1}";
    private static readonly string PostgresMatchLimited = $"{PostgresMatch} LIMIT {CommonTermEntries + 1}";

    /// <summary>
    /// Above about this many matching entries a search is answered newest ticket first, checking
    /// each ticket's entries against the index until a page is full. Below it the matching entries
    /// are read first and their tickets sorted. Each way is fast in its own case and takes seconds
    /// in the other: reading half a million entries for a common word, or visiting every ticket
    /// for a rare one.
    /// </summary>
    public const int CommonTermEntries = 10_000;

    /// <summary>
    /// On SQLite, a term estimated in at most this many entries is walked against the set of its
    /// entries read once from the index; a more common one checks each visited ticket's entries in the
    /// index one by one. The set costs a read of every match (twice: once for the tickets' entries, once
    /// for their customers') but makes each check a lookup in memory; the one-by-one check costs a seek
    /// in the term's list per entry, which only pays when matches are dense enough that the walk stops
    /// after a few hundred tickets. Measured on 6,200,000 entries: '应用' (46,000 entries, a walk over
    /// 2,700 tickets) 10–16 ms read once against 90–150 ms one by one; 'discount' (104,000) about even
    /// (20–40 ms either way); '订单' (620,000) 180 ms read once against 20–30 ms one by one.
    /// </summary>
    public const int SetWalkEntries = 75_000;

    /// <summary>The tickets matching a search, with the query shape that suits how common its terms are.</summary>
    internal static async Task<IQueryable<Ticket>> MatchingTicketsAsync(SwitchboardDb db, SearchQuery query, TicketSort sort, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        var entries = await EstimateEntriesAsync(db, query, ct);
        if (entries <= CommonTermEntries)
        {
            var hits = await Match(db, query, limited: true).Select(e => new { e.TicketId, e.ContactId }).ToListAsync(ct);
            if (hits.Count <= CommonTermEntries)
            {
                // Id lists: the database starts from these few rows instead of guessing how many match. Each list is
                // one array parameter (json_each on SQLite, = ANY on PostgreSQL), so the statement's text is the same
                // for every search and EF Core keeps it; with a parameter per id it writes the SQL anew each time.
                var ticketIds = hits.Where(h => h.TicketId != null).Select(h => h.TicketId!.Value).Distinct().ToArray();
                var contactIds = hits.Where(h => h.ContactId != null).Select(h => h.ContactId!.Value).Distinct().ToArray();
                return db.Tickets.Where(t => EF.Parameter(ticketIds).Contains(t.Id) || EF.Parameter(contactIds).Contains(t.CustomerId));
            }
        }
        // The walk must follow the sort order. Without statistics SQLite would rather take an equality
        // filter's index (status = 'open') and check every ticket it yields, so the index is named.
        // OFFSET 0 keeps PostgreSQL from hashing every match up front.
        if (db.IsSqlite)
        {
            var walk = SqliteWalk
                .Replace("ENTRY_MATCHES", entries <= SetWalkEntries ? SqliteEntryInSet : SqliteEntrySeek, StringComparison.Ordinal)
                .Replace("INDEX_CHOICE", sort.Field switch
                {
                    "updatedAt" => "INDEXED BY ix_tickets_updated_at_id",
                    "createdAt" => "INDEXED BY ix_tickets_created_at_id",
                    _ => "NOT INDEXED",
                }, StringComparison.Ordinal);
            return db.Tickets.FromSqlRaw(walk, query.ToFts5());
        }
        return db.Tickets.FromSqlRaw("""
            SELECT t.* FROM tickets AS t
            WHERE EXISTS (SELECT 1 FROM search_entries AS e WHERE e.ticket_id = t.id
                          AND array_to_tsvector(string_to_array(e.tokens, ' ')) @@ {0}::tsquery OFFSET 0)
               OR EXISTS (SELECT 1 FROM search_entries AS e WHERE e.contact_id = t.customer_id
                          AND array_to_tsvector(string_to_array(e.tokens, ' ')) @@ {0}::tsquery OFFSET 0)
            """, query.ToTsQuery());
    }

    /// <summary>Tickets in the sort's order (INDEX_CHOICE) with an entry of their own or of their customer that matches.</summary>
    private const string SqliteWalk = """
        SELECT t.* FROM tickets AS t INDEX_CHOICE
        WHERE EXISTS (SELECT 1 FROM search_entries AS e WHERE e.ticket_id = t.id AND ENTRY_MATCHES)
           OR EXISTS (SELECT 1 FROM search_entries AS e WHERE e.contact_id = t.customer_id AND ENTRY_MATCHES)
        """;

    /// <summary>Each visited ticket's entries are looked up in the index one by one (the rowid constraint makes FTS5 seek).</summary>
    private const string SqliteEntrySeek = "e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH {0} AND rowid = e.id)";

    /// <summary>
    /// The matching entries are read once into a set that each visited ticket's entries are checked
    /// against. The unary plus keeps SQLite from driving the entries' index with the set instead
    /// (a seek per match for every ticket: seconds).
    /// </summary>
    private const string SqliteEntryInSet = "+e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH {0})";

    /// <summary>
    /// How many entries match, roughly: at most <see cref="CommonTermEntries"/> means exactly that few.
    /// SQLite finds the newest 10,001st match (row ids only, cheap, newest first) and scales by how
    /// many entries lie after it. PostgreSQL's GIN index has to read a term's whole posting list to
    /// count it, so the planner's estimate is asked instead: ANALYZE keeps the frequencies of the most
    /// common terms, and rarer ones are estimated low.
    /// </summary>
    private static async Task<double> EstimateEntriesAsync(SwitchboardDb db, SearchQuery query, CancellationToken ct)
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
                cmd.CommandText = SqliteEstimate;
                parameter.Value = query.ToFts5();
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                if (reader.IsDBNull(0)) return 0;
                var (nth, last) = (reader.GetInt64(0), reader.GetInt64(1));
                return (double)(CommonTermEntries + 1) * last / Math.Max(1, last - nth + 1);
            }
            cmd.CommandText = "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_entries WHERE array_to_tsvector(string_to_array(tokens, ' ')) @@ @q::tsquery";
            parameter.Value = query.ToTsQuery();
            using var plan = JsonDocument.Parse((string)(await cmd.ExecuteScalarAsync(ct))!);
            return plan.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The row id of the 10,001st match counted from the newest, and the newest entry's id.</summary>
    private static readonly string SqliteEstimate = $"""
        SELECT (SELECT rowid FROM search_fts WHERE search_fts MATCH @q ORDER BY rowid DESC LIMIT 1 OFFSET {CommonTermEntries}),
               (SELECT max(id) FROM search_entries)
        """;
}
