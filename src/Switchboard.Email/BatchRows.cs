using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Email;

/// <summary>
/// The rows a batch of mail adds most of — a message per mail with its attachments, a search entry per
/// message (and per new ticket's subject), its history events and an inbound record per message — written
/// without the change tracker, on the context's
/// connection and in its transaction. On SQLite rows whose ids are needed run one prepared statement
/// per row (no round trip), the others go several to a statement; on PostgreSQL each table's rows go in
/// one INSERT of unnested arrays, with ids taken from the table's sequence first where they are needed. Nothing reacts to these rows on save: SQLite's full-text index follows
/// the search entries by trigger, PostgreSQL's GIN index by itself; the ingestion announces the
/// messages to its save for the SLA clocks (<see cref="PlainRows"/>) and hands the events to the ticket
/// feed after its commit.
/// </summary>
internal static class BatchRows
{
    private static readonly (string Name, DbType Type)[] SearchColumns =
        [("kind", DbType.String), ("ticket_id", DbType.Int64), ("message_id", DbType.Int64), ("contact_id", DbType.Int64), ("tokens", DbType.String)];

    private static readonly (string Name, DbType Type)[] InboundColumns =
    [
        ("mailbox_id", DbType.Int64), ("dedup_key", DbType.String), ("raw_sha256", DbType.String), ("raw_size", DbType.Int64),
        ("source", DbType.String), ("status", DbType.String), ("reason", DbType.String), ("from_address", DbType.String),
        ("subject", DbType.String), ("ticket_id", DbType.Int64), ("message_id", DbType.Int64), ("received_at", DbType.DateTimeOffset),
    ];

    private static readonly (string Name, DbType Type)[] EventColumns =
    [
        ("ticket_id", DbType.Int64), ("actor_type", DbType.String), ("actor_id", DbType.Int64), ("actor_name", DbType.String),
        ("type", DbType.String), ("field", DbType.String), ("old_value", DbType.String), ("new_value", DbType.String),
        ("created_at", DbType.DateTimeOffset),
    ];

    private static readonly (string Name, DbType Type)[] MessageColumns =
    [
        ("ticket_id", DbType.Int64), ("kind", DbType.String), ("direction", DbType.String), ("channel", DbType.String),
        ("author_type", DbType.String), ("author_agent_id", DbType.Int64), ("author_contact_id", DbType.Int64), ("body_text", DbType.String),
        ("body_html", DbType.String), ("external_id", DbType.String), ("threading_reason", DbType.String), ("from_address", DbType.String),
        ("to_addresses", DbType.String), ("cc_addresses", DbType.String), ("delivery_status", DbType.String), ("delivery_error", DbType.String),
        ("created_at", DbType.DateTimeOffset),
    ];

    private static readonly (string Name, DbType Type)[] AttachmentColumns =
    [
        ("message_id", DbType.Int64), ("file_name", DbType.String), ("content_type", DbType.String), ("size", DbType.Int64),
        ("sha256", DbType.String), ("content_id", DbType.String), ("is_inline", DbType.Boolean), ("uploaded_by_agent_id", DbType.Int64),
        ("created_at", DbType.DateTimeOffset),
    ];

    /// <summary>
    /// What a customer's reply changes on a ticket it does not reopen: its counters and the clock
    /// fields that <c>SlaClock.CustomerReplied</c> sets (the save's SLA interceptor has applied it to
    /// the ticket by then). The ticket is written whole in these columns, as a save would write it.
    /// </summary>
    private static readonly (string Name, DbType Type)[] RepliedTicketColumns =
    [
        ("message_count", DbType.Int32), ("last_message_at", DbType.DateTimeOffset), ("updated_at", DbType.DateTimeOffset),
        ("next_response_due_at", DbType.DateTimeOffset), ("next_response_warn_at", DbType.DateTimeOffset), ("sla_warned", DbType.Int32),
        ("sla_breached", DbType.Int32), ("sla_status", DbType.String), ("sla_next_check_at", DbType.DateTimeOffset),
        ("sla_due_at", DbType.DateTimeOffset), ("id", DbType.Int64),
    ];

    /// <summary>Inserts new tickets, every column as the model maps it, and gives each its id (its number).</summary>
    public static Task InsertTicketsAsync(SwitchboardDb db, IReadOnlyList<Ticket> tickets, CancellationToken ct)
    {
        var columns = PlainRows.ColumnsOf<Ticket>(db);
        foreach (var ticket in tickets)
        {
            // The customer was saved first; a save would take the key from the reference too.
            if (ticket.Customer is { Id: > 0 } customer) ticket.CustomerId = customer.Id;
        }
        return InsertAsync(db, "tickets", columns.Columns, tickets.Count, i => columns.Row(tickets[i]), (i, id) => tickets[i].Id = id, ct);
    }

    /// <summary>Writes the counters and next-response clock of tickets that customers replied to: one UPDATE per ticket.</summary>
    public static Task UpdateRepliedTicketsAsync(SwitchboardDb db, IReadOnlyList<Ticket> tickets, CancellationToken ct)
    {
        var sqlite = db.IsSqlite;
        var set = string.Join(", ", RepliedTicketColumns[..^1].Select((c, i) => c.Name + " = " + PlainRows.Placeholder(i, sqlite)));
        var sql = $"UPDATE tickets SET {set} WHERE id = {PlainRows.Placeholder(RepliedTicketColumns.Length - 1, sqlite)}";
        return ExecuteAsync(db, sql, RepliedTicketColumns, tickets.Count, i =>
        {
            var t = tickets[i];
            return [t.MessageCount, t.LastMessageAt, t.UpdatedAt, t.NextResponseDueAt, t.NextResponseWarnAt, t.SlaWarned, t.SlaBreached,
                PlainRows.Lower(t.SlaStatus), t.SlaNextCheckAt, t.SlaDueAt, t.Id];
        }, null, ct);
    }

    /// <summary>Inserts messages whose tickets are saved, gives each its id and its ticket's, then inserts their attachments.</summary>
    public static async Task InsertMessagesAsync(SwitchboardDb db, IReadOnlyList<Message> messages, CancellationToken ct)
    {
        await InsertAsync(db, "messages", MessageColumns, messages.Count, i =>
        {
            var m = messages[i];
            return [m.Ticket?.Id ?? m.TicketId, PlainRows.Lower(m.Kind), PlainRows.Lower(m.Direction), PlainRows.Lower(m.Channel), PlainRows.Lower(m.AuthorType), m.AuthorAgentId,
                m.AuthorContactId, m.BodyText, m.BodyHtml, m.ExternalId, m.ThreadingReason, m.FromAddress, m.ToAddresses, m.CcAddresses,
                m.DeliveryStatus, m.DeliveryError, m.CreatedAt];
        }, (i, id) =>
        {
            messages[i].Id = id;
            if (messages[i].Ticket is { } ticket) messages[i].TicketId = ticket.Id;
        }, ct);

        var attachments = new List<Attachment>();
        foreach (var message in messages)
        {
            foreach (var attachment in message.Attachments)
            {
                attachment.MessageId = message.Id;
                attachments.Add(attachment);
            }
        }
        await InsertAsync(db, "attachments", AttachmentColumns, attachments.Count, i =>
        {
            var a = attachments[i];
            return [a.MessageId, a.FileName, a.ContentType, a.Size, a.Sha256, a.ContentId, a.IsInline, a.UploadedByAgentId, a.CreatedAt];
        }, (i, id) => attachments[i].Id = id, ct);
    }

    /// <summary>Inserts history events whose tickets are saved and gives each its id.</summary>
    public static Task InsertEventsAsync(SwitchboardDb db, IReadOnlyList<TicketEvent> events, CancellationToken ct) =>
        InsertAsync(db, "ticket_events", EventColumns, events.Count, i =>
        {
            var e = events[i];
            return [e.Ticket?.Id ?? e.TicketId, PlainRows.Lower(e.ActorType), e.ActorId, e.ActorName, e.Type, e.Field, e.OldValue, e.NewValue, e.CreatedAt];
        }, (i, id) =>
        {
            events[i].Id = id;
            if (events[i].Ticket is { } ticket) events[i].TicketId = ticket.Id;
        }, ct);

    /// <summary>Inserts search entries whose ticket, message and contact are saved (they have their ids).</summary>
    public static Task InsertSearchEntriesAsync(SwitchboardDb db, IReadOnlyList<SearchEntry> entries, CancellationToken ct) =>
        InsertAsync(db, "search_entries", SearchColumns, entries.Count, i =>
        {
            var e = entries[i];
            return [PlainRows.Lower(e.Kind), e.Ticket?.Id ?? e.TicketId, e.Message?.Id ?? e.MessageId, e.Contact?.Id ?? e.ContactId, e.Tokens];
        }, null, ct);

    /// <summary>Inserts the inbound records and gives each its id.</summary>
    public static Task InsertInboundMailsAsync(SwitchboardDb db, IReadOnlyList<InboundMail> mails, CancellationToken ct) =>
        InsertAsync(db, "inbound_mails", InboundColumns, mails.Count, i =>
        {
            var m = mails[i];
            return [m.MailboxId, m.DedupKey, m.RawSha256, m.RawSize, m.Source, PlainRows.Lower(m.Status), m.Reason, m.FromAddress,
                m.Subject, m.TicketId, m.MessageId, m.ReceivedAt];
        }, (i, id) => mails[i].Id = id, ct);

    private static Task InsertAsync(
        SwitchboardDb db, string table, (string Name, DbType Type)[] columns, int count, Func<int, object?[]> row,
        Action<int, long>? setId, CancellationToken ct)
    {
        var sqlite = db.IsSqlite;
        if (setId is null) return sqlite ? InsertManyAsync(db, table, columns, count, row, ct) : InsertUnnestAsync(db, table, columns, count, row, ct);
        if (!sqlite) return InsertWithIdsAsync(db, table, columns, count, row, setId, ct);
        var placeholders = string.Join(", ", columns.Select((_, i) => PlainRows.Placeholder(i, sqlite: true)));
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({placeholders}) RETURNING id";
        return ExecuteAsync(db, sql, columns, count, row, setId, ct);
    }

    /// <summary>
    /// Runs <paramref name="sql"/> once per row, with the row's values bound to the columns' placeholders:
    /// a prepared statement stepped per row on SQLite (with <paramref name="setId"/>, reading each row's id),
    /// one batch on PostgreSQL (statements without results only: rows needing ids go through <see cref="InsertWithIdsAsync"/>).
    /// </summary>
    private static async Task ExecuteAsync(
        SwitchboardDb db, string sql, (string Name, DbType Type)[] columns, int count, Func<int, object?[]> row,
        Action<int, long>? setId, CancellationToken ct)
    {
        if (count == 0) return;
        var connection = db.Database.GetDbConnection();
        var transaction = PlainRows.Transaction(db);
        var sqlite = db.IsSqlite;

        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            for (var r = 0; r < count; r++)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = sql;
                var values = row(r);
                for (var c = 0; c < columns.Length; c++)
                {
                    var parameter = command.CreateParameter();
                    parameter.DbType = columns[c].Type;
                    parameter.Value = PlainRows.Value(values[c], sqlite);
                    command.Parameters.Add(parameter);
                }
                batch.BatchCommands.Add(command);
            }
            await batch.ExecuteNonQueryAsync(ct);
            return;
        }

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = sql;
        var parameters = new DbParameter[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            parameters[c] = insert.CreateParameter();
            parameters[c].ParameterName = PlainRows.ParameterName(c);
            parameters[c].DbType = PlainRows.ParameterType(columns[c].Type, sqlite);
            insert.Parameters.Add(parameters[c]);
        }
        await insert.PrepareAsync(ct);
        for (var r = 0; r < count; r++)
        {
            var values = row(r);
            for (var c = 0; c < columns.Length; c++) parameters[c].Value = PlainRows.Value(values[c], sqlite);
            if (setId is null)
            {
                await insert.ExecuteNonQueryAsync(ct);
            }
            else
            {
                var id = await insert.ExecuteScalarAsync(ct);
                setId(r, Convert.ToInt64(id, CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Most parameters of one SQLite statement here: binding looks each name up in a list, so the cost grows with its square.</summary>
    private const int MaxSqliteParameters = 200;

    /// <summary>
    /// Rows whose ids nobody needs, on SQLite: several rows per INSERT (up to <see cref="MaxSqliteParameters"/>
    /// parameters), so the per-statement cost of the library is paid once per hundred rows rather than per row.
    /// </summary>
    private static async Task InsertManyAsync(
        SwitchboardDb db, string table, (string Name, DbType Type)[] columns, int count, Func<int, object?[]> row, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = PlainRows.Transaction(db);
        var perStatement = Math.Max(1, MaxSqliteParameters / columns.Length);
        var head = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ";
        for (var start = 0; start < count; start += perStatement)
        {
            var rows = Math.Min(perStatement, count - start);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            var sql = new System.Text.StringBuilder(head, head.Length + (rows * columns.Length * 7));
            for (var r = 0; r < rows; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                var values = row(start + r);
                for (var c = 0; c < columns.Length; c++)
                {
                    var n = (r * columns.Length) + c;
                    if (c > 0) sql.Append(", ");
                    sql.Append(PlainRows.Placeholder(n, sqlite: true));
                    var parameter = insert.CreateParameter();
                    parameter.ParameterName = PlainRows.ParameterName(n);
                    parameter.DbType = PlainRows.ParameterType(columns[c].Type, sqlite: true);
                    parameter.Value = PlainRows.Value(values[c], sqlite: true);
                    insert.Parameters.Add(parameter);
                }
                sql.Append(')');
            }
            insert.CommandText = sql.ToString();
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// Rows whose ids nobody needs, on PostgreSQL: one INSERT of every row, each column sent as one array
    /// and unnested. The statement's text is the same for any number of rows (it stays prepared), and the
    /// server parses, plans and executes once instead of once per row.
    /// </summary>
    private static async Task InsertUnnestAsync(
        SwitchboardDb db, string table, (string Name, DbType Type)[] columns, int count, Func<int, object?[]> row, CancellationToken ct)
    {
        if (count == 0) return;
        var arrays = columns.Select(c => ArrayOf(c.Type, count)).ToArray();
        for (var r = 0; r < count; r++)
        {
            var values = row(r);
            for (var c = 0; c < columns.Length; c++)
            {
                var value = PlainRows.Value(values[c], sqlite: false);
                arrays[c].SetValue(value is DBNull ? null : value, r);
            }
        }
        await using var insert = db.Database.GetDbConnection().CreateCommand();
        insert.Transaction = PlainRows.Transaction(db);
        var unnest = string.Join(", ", columns.Select((c, i) => $"{PlainRows.Placeholder(i, sqlite: false)}::{PostgresType(c.Type)}[]"));
        insert.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) SELECT * FROM unnest({unnest})";
        foreach (var array in arrays)
        {
            var parameter = insert.CreateParameter();
            parameter.Value = array;
            insert.Parameters.Add(parameter);
        }
        await insert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Rows whose ids are needed, on PostgreSQL: the ids are taken from the table's sequence first (one
    /// query, in ascending order, so ids follow the rows' order as they would one INSERT at a time), then
    /// every row goes in one INSERT of unnested arrays with its id.
    /// </summary>
    private static async Task InsertWithIdsAsync(
        SwitchboardDb db, string table, (string Name, DbType Type)[] columns, int count, Func<int, object?[]> row, Action<int, long> setId,
        CancellationToken ct)
    {
        if (count == 0) return;
        var ids = new List<long>(count);
        await using (var take = db.Database.GetDbConnection().CreateCommand())
        {
            take.Transaction = PlainRows.Transaction(db);
            take.CommandText = $"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)";
            var n = take.CreateParameter();
            n.Value = count;
            take.Parameters.Add(n);
            await using var reader = await take.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
        }
        ids.Sort();
        await InsertUnnestAsync(db, table, [("id", DbType.Int64), .. columns], count, r => [ids[r], .. row(r)], ct);
        for (var r = 0; r < count; r++) setId(r, ids[r]);
    }

    private static Array ArrayOf(DbType type, int count) => type switch
    {
        DbType.Int32 => new int?[count],
        DbType.String => new string?[count],
        DbType.Int64 => new long?[count],
        DbType.Boolean => new bool?[count],
        DbType.DateTimeOffset => new DateTimeOffset?[count],
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No array type for this column type."),
    };

    private static string PostgresType(DbType type) => type switch
    {
        DbType.Int32 => "integer",
        DbType.String => "text",
        DbType.Int64 => "bigint",
        DbType.Boolean => "boolean",
        DbType.DateTimeOffset => "timestamptz",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No PostgreSQL type for this column type."),
    };
}
