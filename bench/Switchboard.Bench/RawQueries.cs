using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Switchboard.Core.Data;
using Switchboard.Core.Search;
using Switchboard.Tickets;

namespace Switchboard.Bench;

/// <summary>
/// The statements the API sends for each request (taken from EF Core's command log), run
/// directly with ADO.NET on a pooled connection and read to the last column: the bare cost
/// of the database, which the API's figures are divided by.
/// </summary>
internal sealed class RawQueries(DatabaseProvider provider, string connectionString)
{
    /// <summary>The columns of a ticket's API shape (TicketQueries.Rows), with its customer's name and first email address.</summary>
    private const string RowColumns = """
        "t"."id", "t"."subject", "t"."status", "t"."priority", "t"."channel", "t"."department_id", "t"."assignee_id", "t"."customer_id", "c"."name", (
            SELECT "c0"."value" FROM "contact_identities" AS "c0"
            WHERE "c"."id" = "c0"."contact_id" AND "c0"."type" = 'email'
            ORDER BY "c0"."id" LIMIT 1),
        "t"."message_count", "t"."created_at", "t"."updated_at", "t"."last_message_at", "t"."first_response_at", "t"."resolved_at", "t"."merged_into_id",
        "t"."split_from_id", "t"."follow_up_of_id", "t"."first_response_due_at", "t"."next_response_due_at", "t"."resolution_due_at", "t"."sla_due_at",
        "t"."sla_status", "t"."rating", "t"."rating_comment", "t"."rated_at"
        """;

    /// <summary>A page: the customer joined while the tickets are walked in order, stopping after the page.</summary>
    private static readonly string Outer = $"""
        SELECT {RowColumns}
        FROM {"{from}"}
        INNER JOIN "contacts" AS "c" ON "t"."customer_id" = "c"."id"
        WHERE {"{0}"}
        ORDER BY "t"."updated_at" DESC, "t"."id" DESC
        LIMIT @limit
        """;

    private static readonly string OverTickets = Outer.Replace("{from}", "\"tickets\" AS \"t\"", StringComparison.Ordinal);

    private static readonly string ListSql = OverTickets.Replace("{0}", "\"t\".\"status\" = @status AND \"t\".\"department_id\" = @dept", StringComparison.Ordinal);

    private static readonly string ListAfterSql = OverTickets.Replace("{0}",
        "\"t\".\"status\" = @status AND \"t\".\"department_id\" = @dept AND (\"t\".\"updated_at\" < @key OR (\"t\".\"updated_at\" = @key AND \"t\".\"id\" < @id))",
        StringComparison.Ordinal);

    private readonly string _hitsSql =
        $"SELECT \"s\".\"ticket_id\", \"s\".\"contact_id\" FROM ({Match(provider, "@q0")}) AS \"s\" LIMIT @n";

    /// <summary>Terms in more than 10,000 entries: newest tickets first, each checked against the index (SearchIndex.MatchingTicketsAsync).</summary>
    private readonly string _searchCommonSql = Outer.Replace("{0}", "TRUE", StringComparison.Ordinal).Replace("{from}", provider == DatabaseProvider.Sqlite
        ? """
          (SELECT t.* FROM tickets AS t INDEXED BY ix_tickets_updated_at_id
           WHERE EXISTS (SELECT 1 FROM search_entries AS e WHERE e.ticket_id = t.id
                         AND e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH @q0 AND rowid = e.id))
              OR EXISTS (SELECT 1 FROM search_entries AS e WHERE e.contact_id = t.customer_id
                         AND e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH @q0 AND rowid = e.id))) AS "t"
          """
        : """
          (SELECT t.* FROM tickets AS t
           WHERE EXISTS (SELECT 1 FROM search_entries AS e WHERE e.ticket_id = t.id
                         AND array_to_tsvector(string_to_array(e.tokens, ' ')) @@ @q0::tsquery OFFSET 0)
              OR EXISTS (SELECT 1 FROM search_entries AS e WHERE e.contact_id = t.customer_id
                         AND array_to_tsvector(string_to_array(e.tokens, ' ')) @@ @q0::tsquery OFFSET 0)) AS "t"
          """, StringComparison.Ordinal);

    /// <summary>SQLite, terms in up to 75,000 entries (SearchIndex.SetWalkEntries): the same walk against the set of matches read once.</summary>
    private static readonly string SearchSetSql = Outer.Replace("{0}", "TRUE", StringComparison.Ordinal).Replace("{from}", """
        (SELECT t.* FROM tickets AS t INDEXED BY ix_tickets_updated_at_id
         WHERE EXISTS (SELECT 1 FROM search_entries AS e WHERE e.ticket_id = t.id
                       AND +e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH @q0))
            OR EXISTS (SELECT 1 FROM search_entries AS e WHERE e.contact_id = t.customer_id
                       AND +e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH @q0))) AS "t"
        """, StringComparison.Ordinal);

    private readonly string _estimateSql = provider == DatabaseProvider.Sqlite
        ? $"""
          SELECT (SELECT rowid FROM search_fts WHERE search_fts MATCH @q0 ORDER BY rowid DESC LIMIT 1 OFFSET {SearchIndex.CommonTermEntries}),
                 (SELECT max(id) FROM search_entries)
          """
        : "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_entries WHERE array_to_tsvector(string_to_array(tokens, ' ')) @@ @q0::tsquery";

    private static readonly string TicketSql = $"""
        SELECT {RowColumns}
        FROM "tickets" AS "t"
        INNER JOIN "contacts" AS "c" ON "t"."customer_id" = "c"."id"
        WHERE "t"."id" = @id
        """;

    /// <summary>The access check before the messages: the two columns the rule needs.</summary>
    private const string TicketAccessSql = """
        SELECT "t"."department_id", "t"."assignee_id" FROM "tickets" AS "t" WHERE "t"."id" = @id LIMIT 1
        """;

    private const string MessagesSql = """
        SELECT "m"."id", "m"."author_agent_id", "m"."author_contact_id", "m"."author_type", "m"."body_html", "m"."body_text", "m"."cc_addresses",
            "m"."channel", "m"."created_at", "m"."delivery_error", "m"."delivery_status", "m"."direction", "m"."external_id", "m"."from_address",
            "m"."kind", "m"."threading_reason", "m"."ticket_id", "m"."to_addresses", "a"."id", "a"."content_id", "a"."content_type", "a"."created_at",
            "a"."file_name", "a"."is_inline", "a"."message_id", "a"."sha256", "a"."size", "a"."uploaded_by_agent_id"
        FROM "messages" AS "m"
        LEFT JOIN "attachments" AS "a" ON "m"."id" = "a"."message_id"
        WHERE "m"."ticket_id" = @id
        ORDER BY "m"."created_at", "m"."id"
        """;

    private const string TagsSql = """
        SELECT "t"."ticket_id", "t0"."name" FROM "ticket_tags" AS "t"
        INNER JOIN "tags" AS "t0" ON "t"."tag_id" = "t0"."id"
        WHERE "t"."ticket_id" {0}
        """;

    private static string Match(DatabaseProvider provider, string parameter) => provider == DatabaseProvider.Sqlite
        ? $"SELECT * FROM search_entries WHERE id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH {parameter})"
        : $"SELECT * FROM search_entries WHERE array_to_tsvector(string_to_array(tokens, ' ')) @@ {parameter}::tsquery";

    /// <summary>GET /tickets/{id}: the ticket with its customer, then its tags.</summary>
    public async Task TicketAsync(long id)
    {
        await using var connection = await OpenAsync();
        await ReadAsync(connection, TicketSql, ("id", id));
        await TagsAsync(connection, [id]);
    }

    /// <summary>GET /tickets/{id}/messages: the access check reads the ticket's department and assignee, then its messages.</summary>
    public async Task MessagesAsync(long id)
    {
        await using var connection = await OpenAsync();
        await ReadAsync(connection, TicketAccessSql, ("id", id));
        await ReadAsync(connection, MessagesSql, ("id", id));
    }

    /// <summary>One page of open tickets of a department, newest activity first; returns the last row's sort key.</summary>
    public async Task<(DateTimeOffset UpdatedAt, long Id)?> ListAsync(long department, (DateTimeOffset UpdatedAt, long Id)? after, int limit)
    {
        await using var connection = await OpenAsync();
        var rows = after is { } a
            ? await ReadAsync(connection, ListAfterSql, ("status", "open"), ("dept", department), ("key", Time(a.UpdatedAt)), ("id", a.Id), ("limit", limit + 1))
            : await ReadAsync(connection, ListSql, ("status", "open"), ("dept", department), ("limit", limit + 1));
        await TagsAsync(connection, rows.Select(r => r.Id).Take(limit).ToList());
        return rows.Count > limit ? rows[limit - 1] : null;
    }

    /// <summary>GET /tickets?q=word: the first page of tickets whose subject, messages or customer match (see SearchIndex.MatchingTicketsAsync).</summary>
    public async Task<int> SearchAsync(string text, int limit)
    {
        var query = SearchQuery.Parse(text);
        var match = provider == DatabaseProvider.Sqlite ? query.ToFts5() : query.ToTsQuery();
        await using var connection = await OpenAsync();
        var entries = await EstimateAsync(connection, match);
        List<(DateTimeOffset UpdatedAt, long Id)> rows;
        if (entries <= SearchIndex.CommonTermEntries && await HitsAsync(connection, match) is { } hits)
        {
            var tickets = hits.Where(h => h.TicketId is not null).Select(h => h.TicketId!.Value).Distinct().ToArray();
            var contacts = hits.Where(h => h.ContactId is not null).Select(h => h.ContactId!.Value).Distinct().ToArray();
            rows = provider == DatabaseProvider.Postgres
                ? await ReadAsync(connection, OverTickets.Replace("{0}", "\"t\".\"id\" = ANY (@tickets) OR \"t\".\"customer_id\" = ANY (@contacts)", StringComparison.Ordinal),
                    ("tickets", tickets), ("contacts", contacts), ("limit", limit + 1))
                : await ReadAsync(connection, OverTickets.Replace("{0}",
                        "\"t\".\"id\" IN (SELECT \"i\".\"value\" FROM json_each(@tickets) AS \"i\") OR \"t\".\"customer_id\" IN (SELECT \"i\".\"value\" FROM json_each(@contacts) AS \"i\")",
                        StringComparison.Ordinal),
                    ("tickets", JsonSerializer.Serialize(tickets)), ("contacts", JsonSerializer.Serialize(contacts)), ("limit", limit + 1));
        }
        else
        {
            var walk = provider == DatabaseProvider.Sqlite && entries <= SearchIndex.SetWalkEntries ? SearchSetSql : _searchCommonSql;
            rows = await ReadAsync(connection, walk, ("q0", match), ("limit", limit + 1));
        }
        await TagsAsync(connection, rows.Select(r => r.Id).Take(limit).ToList());
        return rows.Count;
    }

    private async Task<List<(long? TicketId, long? ContactId)>?> HitsAsync(DbConnection connection, string match)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = _hitsSql;
        AddParameter(cmd, "q0", match);
        AddParameter(cmd, "n", SearchIndex.CommonTermEntries + 1);
        var hits = new List<(long?, long?)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            hits.Add((reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
        }
        return hits.Count <= SearchIndex.CommonTermEntries ? hits : null;
    }

    /// <summary>How many entries match, as SearchIndex estimates it (at most 10,000 means exactly that few).</summary>
    private async Task<double> EstimateAsync(DbConnection connection, string match)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = _estimateSql;
        AddParameter(cmd, "q0", match);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        if (provider == DatabaseProvider.Postgres) return PlanRows(reader.GetString(0));
        if (reader.IsDBNull(0)) return 0;
        var (nth, last) = (reader.GetInt64(0), reader.GetInt64(1));
        return (double)(SearchIndex.CommonTermEntries + 1) * last / Math.Max(1, last - nth + 1);
    }

    private static double PlanRows(string json)
    {
        using var plan = JsonDocument.Parse(json);
        return plan.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
    }

    private static void AddParameter(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    public async Task<string> ServerVersionAsync()
    {
        await using var connection = await OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = provider == DatabaseProvider.Sqlite ? "SELECT 'SQLite ' || sqlite_version()" : "SELECT 'PostgreSQL ' || current_setting('server_version')";
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task TagsAsync(DbConnection connection, List<long> ids)
    {
        if (ids.Count == 0) return;
        if (provider == DatabaseProvider.Postgres)
        {
            await ReadAsync(connection, TagsSql.Replace("{0}", "= ANY (@ids)", StringComparison.Ordinal), ("ids", ids.ToArray()));
            return;
        }
        await ReadAsync(connection, TagsSql.Replace("{0}", "IN (SELECT \"i\".\"value\" FROM json_each(@ids) AS \"i\")", StringComparison.Ordinal),
            ("ids", JsonSerializer.Serialize(ids)));
    }

    private async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(connectionString)
            : new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private object Time(DateTimeOffset value) => provider == DatabaseProvider.Sqlite ? value.ToUnixTimeMilliseconds() : value;

    /// <summary>Runs a statement, reads every column of every row, and returns each row's (updated_at, id) when it has them.</summary>
    private async Task<List<(DateTimeOffset UpdatedAt, long Id)>> ReadAsync(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) AddParameter(cmd, name, value);
        var rows = new List<(DateTimeOffset, long)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        var updatedAt = -1;
        for (var i = 0; i < reader.FieldCount; i++)
        {
            if (reader.GetName(i) == "updated_at") updatedAt = i;
        }
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync())
        {
            reader.GetValues(values);
            if (updatedAt >= 0)
            {
                var key = provider == DatabaseProvider.Sqlite
                    ? DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(updatedAt))
                    : reader.GetFieldValue<DateTimeOffset>(updatedAt);
                rows.Add((key, reader.GetInt64(0)));
            }
        }
        return rows;
    }
}
