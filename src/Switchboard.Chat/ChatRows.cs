using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Chat;

/// <summary>
/// A batch of chat lines as plain rows — per line its ticket message, search entry and chat line, then a history
/// event per line and one counter update per ticket — on the context's connection and in its transaction, without
/// the change tracker. SQLite runs each statement at once (prepared once per batch, no round trip); PostgreSQL gets
/// the whole batch in one round trip, a line being one statement that inserts its message, search entry and line
/// together. SQLite's full-text index follows the search entries by trigger, PostgreSQL's GIN index by itself;
/// what a save's interceptors would do (the SLA clocks, the ticket feed) the writer does itself.
/// </summary>
internal sealed class ChatRows : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly bool _sqlite;
    private readonly Statements _sql;
    private readonly Dictionary<Statement, DbCommand> _prepared = [];
    private readonly List<Action<DbDataReader>> _reads = [];
    private DbBatch? _batch;

    public ChatRows(SwitchboardDb db)
    {
        _connection = db.Database.GetDbConnection();
        _transaction = PlainRows.Transaction(db);
        _sqlite = db.IsSqlite;
        _sql = _sqlite ? Statements.Sqlite : Statements.Postgres;
    }

    /// <summary>Stores a line with its ticket message and search entry; the line and message get their ids (on PostgreSQL at <see cref="FlushAsync"/>).</summary>
    public async ValueTask AddLineAsync(ChatLine line, Message message, string tokens, CancellationToken ct)
    {
        if (_sqlite)
        {
            await RunAsync(_sql.Message, [message.TicketId, PlainRows.Lower(message.Direction), PlainRows.Lower(message.AuthorType),
                message.AuthorAgentId, message.AuthorContactId, message.BodyText, message.DeliveryStatus, message.CreatedAt], r => message.Id = r.GetInt64(0), ct);
            await RunAsync(_sql.Search, [message.TicketId, message.Id, tokens], null, ct);
            await RunAsync(_sql.Line, [line.ConversationId, line.ClientId, message.Id, PlainRows.Lower(line.SenderType), line.AgentId, line.Text, line.CreatedAt],
                r => line.Id = r.GetInt64(0), ct);
            line.MessageId = message.Id;
            return;
        }
        await RunAsync(_sql.Line, [message.TicketId, PlainRows.Lower(message.Direction), PlainRows.Lower(message.AuthorType), message.AuthorAgentId, message.AuthorContactId,
            message.BodyText, message.DeliveryStatus, message.CreatedAt, tokens, line.ConversationId, line.ClientId], r =>
            {
                line.Id = r.GetInt64(0);
                message.Id = line.MessageId = r.GetInt64(1);
            }, ct);
    }

    /// <summary>A history event of a ticket that is stored already.</summary>
    public ValueTask AddEventAsync(TicketEvent e, CancellationToken ct) =>
        RunAsync(_sql.Event, [e.TicketId, PlainRows.Lower(e.ActorType), e.ActorId, e.ActorName, e.Type, e.CreatedAt], null, ct);

    /// <summary>
    /// A ticket's counters after <paramref name="added"/> messages, the last at <paramref name="at"/>; the first response if none
    /// was recorded; and, when an SLA policy applies, its response clocks as the ticket now holds them.
    /// </summary>
    public ValueTask UpdateTicketAsync(Ticket ticket, int added, DateTimeOffset at, DateTimeOffset? firstResponse, CancellationToken ct) =>
        ticket.SlaPolicyId is null
            ? RunAsync(_sql.Counters, [added, at, firstResponse, ticket.Id], null, ct)
            : RunAsync(_sql.CountersAndClocks, [added, at, firstResponse, ticket.Id,
                ticket.FirstResponseDueAt, ticket.FirstResponseWarnAt, ticket.NextResponseDueAt, ticket.NextResponseWarnAt,
                ticket.SlaWarned, ticket.SlaBreached, ticket.SlaNextCheckAt, PlainRows.Lower(ticket.SlaStatus), ticket.SlaDueAt], null, ct);

    /// <summary>Sends what is queued (PostgreSQL) and reads the ids it returns.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (_batch is null) return;
        var batch = _batch;
        _batch = null;
        await using (batch)
        {
            await using var reader = await batch.ExecuteReaderAsync(ct);
            for (var i = 0; i < _reads.Count; i++)
            {
                if (i > 0 && !await reader.NextResultAsync(ct)) throw new InvalidOperationException("A chat line's insert returned nothing.");
                if (!await reader.ReadAsync(ct)) throw new InvalidOperationException("A chat line's insert returned no ids.");
                _reads[i](reader);
            }
            // The statements after the inserts return no rows; reading on surfaces any error they met.
            while (await reader.NextResultAsync(ct))
            {
            }
        }
        _reads.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _prepared.Values) await command.DisposeAsync();
        if (_batch is not null) await _batch.DisposeAsync();
    }

    private async ValueTask RunAsync(Statement statement, object?[] values, Action<DbDataReader>? read, CancellationToken ct)
    {
        if (_sqlite)
        {
            var command = await PreparedAsync(statement, ct);
            for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = Value(values[i]);
            if (read is null)
            {
                await command.ExecuteNonQueryAsync(ct);
                return;
            }
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) throw new InvalidOperationException("An insert returned no id.");
            read(reader);
            return;
        }
        _batch ??= NewBatch();
        if (read is not null)
        {
            // The ids are read in order from the first results: every insert that returns one comes first.
            if (_batch.BatchCommands.Count != _reads.Count) throw new InvalidOperationException("Inserts that return ids go before the other statements.");
            _reads.Add(read);
        }
        var batchCommand = _batch.CreateBatchCommand();
        batchCommand.CommandText = statement.Sql;
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = batchCommand.CreateParameter();
            parameter.DbType = statement.Types[i];
            parameter.Value = Value(values[i]);
            batchCommand.Parameters.Add(parameter);
        }
        _batch.BatchCommands.Add(batchCommand);
    }

    private DbBatch NewBatch()
    {
        var batch = _connection.CreateBatch();
        batch.Transaction = _transaction;
        return batch;
    }

    private async ValueTask<DbCommand> PreparedAsync(Statement statement, CancellationToken ct)
    {
        if (_prepared.TryGetValue(statement, out var command)) return command;
        command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = statement.Sql;
        for (var i = 0; i < statement.Types.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = PlainRows.ParameterName(i);
            parameter.DbType = PlainRows.ParameterType(statement.Types[i], sqlite: true);
            command.Parameters.Add(parameter);
        }
        await command.PrepareAsync(ct);
        _prepared[statement] = command;
        return command;
    }

    private object Value(object? value) => PlainRows.Value(value, _sqlite);

    private sealed record Statement(string Sql, DbType[] Types);

    /// <summary>The statements in each database's parameter style: <c>@p0</c> on SQLite, <c>$1</c> on PostgreSQL.</summary>
    private sealed class Statements
    {
        public static readonly Statements Sqlite = new(sqlite: true);
        public static readonly Statements Postgres = new(sqlite: false);

        private Statements(bool sqlite)
        {
            string P(int i) => PlainRows.Placeholder(i, sqlite);
            const string MessageColumns = "ticket_id, kind, direction, channel, author_type, author_agent_id, author_contact_id, body_text, delivery_status, created_at";
            DbType[] messageTypes = [DbType.Int64, DbType.String, DbType.String, DbType.Int64, DbType.Int64, DbType.String, DbType.String, DbType.DateTimeOffset];
            var messageValues = $"{P(0)}, 'reply', {P(1)}, 'chat', {P(2)}, {P(3)}, {P(4)}, {P(5)}, {P(6)}, {P(7)}";
            const string LineColumns = "conversation_id, client_id, message_id, sender_type, agent_id, text, created_at";
            if (sqlite)
            {
                Message = new($"INSERT INTO messages ({MessageColumns}) VALUES ({messageValues}) RETURNING id", messageTypes);
                Search = new($"INSERT INTO search_entries (kind, ticket_id, message_id, tokens) VALUES ('message', {P(0)}, {P(1)}, {P(2)})",
                    [DbType.Int64, DbType.Int64, DbType.String]);
                Line = new($"INSERT INTO chat_lines ({LineColumns}) VALUES ({P(0)}, {P(1)}, {P(2)}, {P(3)}, {P(4)}, {P(5)}, {P(6)}) RETURNING id",
                    [DbType.Int64, DbType.String, DbType.Int64, DbType.String, DbType.Int64, DbType.String, DbType.DateTimeOffset]);
            }
            else
            {
                // One statement per line: the message, then its search entry and the chat line with the message's id.
                Message = Search = new("", []);
                Line = new($"""
                    WITH m AS (INSERT INTO messages ({MessageColumns}) VALUES ({messageValues}) RETURNING id),
                         s AS (INSERT INTO search_entries (kind, ticket_id, message_id, tokens) SELECT 'message', {P(0)}, m.id, {P(8)} FROM m)
                    INSERT INTO chat_lines ({LineColumns}) SELECT {P(9)}, {P(10)}, m.id, {P(2)}, {P(3)}, {P(5)}, {P(7)} FROM m
                    RETURNING id, message_id
                    """, [.. messageTypes, DbType.String, DbType.Int64, DbType.String]);
            }
            Event = new($"INSERT INTO ticket_events (ticket_id, actor_type, actor_id, actor_name, type, created_at) VALUES ({P(0)}, {P(1)}, {P(2)}, {P(3)}, {P(4)}, {P(5)})",
                [DbType.Int64, DbType.String, DbType.Int64, DbType.String, DbType.String, DbType.DateTimeOffset]);
            var counters = $"message_count = message_count + {P(0)}, updated_at = {P(1)}, last_message_at = {P(1)}, first_response_at = COALESCE(first_response_at, {P(2)})";
            DbType[] counterTypes = [DbType.Int32, DbType.DateTimeOffset, DbType.DateTimeOffset, DbType.Int64];
            Counters = new($"UPDATE tickets SET {counters} WHERE id = {P(3)}", counterTypes);
            CountersAndClocks = new($"""
                UPDATE tickets SET {counters},
                    first_response_due_at = {P(4)}, first_response_warn_at = {P(5)}, next_response_due_at = {P(6)}, next_response_warn_at = {P(7)},
                    sla_warned = {P(8)}, sla_breached = {P(9)}, sla_next_check_at = {P(10)}, sla_status = {P(11)}, sla_due_at = {P(12)}
                WHERE id = {P(3)}
                """, [.. counterTypes, DbType.DateTimeOffset, DbType.DateTimeOffset, DbType.DateTimeOffset, DbType.DateTimeOffset,
                    DbType.Int32, DbType.Int32, DbType.DateTimeOffset, DbType.String, DbType.DateTimeOffset]);
        }

        public Statement Message { get; }

        public Statement Search { get; }

        public Statement Line { get; }

        public Statement Event { get; }

        public Statement Counters { get; }

        public Statement CountersAndClocks { get; }
    }
}
