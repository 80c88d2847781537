using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Switchboard.Core.Data;

namespace Switchboard.Bench;

/// <summary>
/// Loads SQLite with prepared INSERTs in one transaction per batch. Secondary indexes and the
/// FTS triggers are dropped first and recreated afterwards from the exact SQL the migrations
/// wrote, and the FTS index is rebuilt once, which is far faster than maintaining them row by row.
/// </summary>
internal sealed class SqliteLoader(string connectionString) : IBulkLoader
{
    private readonly List<(string Name, string Sql)> _indexes = [];
    private readonly List<(string Name, string Sql)> _triggers = [];
    private SqliteConnection? _connection;

    public async Task<DatasetInfo?> ExistingAsync()
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (!File.Exists(file)) return null;
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT value FROM instance_settings WHERE key = $key";
        cmd.Parameters.AddWithValue("$key", DatasetInfo.SettingKey);
        try
        {
            return await cmd.ExecuteScalarAsync() is string json ? JsonSerializer.Deserialize(json, BenchJson.Default.DatasetInfo) : null;
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    public async Task PrepareAsync()
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        // An unfinished load cannot be trusted (its indexes are gone): start over.
        foreach (var f in new[] { file, file + "-wal", file + "-shm", file + "-journal" })
        {
            if (File.Exists(f)) File.Delete(f);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        SqliteConnection.ClearAllPools();

        await using (var db = Db.Create(DatabaseProvider.Sqlite, connectionString))
        {
            await DatabaseSetup.MigrateAsync(db);
        }

        _connection = new SqliteConnection(connectionString);
        await _connection.OpenAsync();
        await ExecAsync("PRAGMA journal_mode=DELETE; PRAGMA synchronous=OFF; PRAGMA journal_mode=OFF; PRAGMA foreign_keys=OFF; " +
            "PRAGMA cache_size=-1000000; PRAGMA temp_store=MEMORY; PRAGMA locking_mode=EXCLUSIVE;");
        foreach (var (type, list) in new[] { ("index", _indexes), ("trigger", _triggers) })
        {
            await using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = $type AND sql IS NOT NULL AND name NOT LIKE 'sqlite_%'";
            cmd.Parameters.AddWithValue("$type", type);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) list.Add((reader.GetString(0), reader.GetString(1)));
        }
        foreach (var (name, _) in _triggers) await ExecAsync($"DROP TRIGGER \"{name}\"");
        foreach (var (name, _) in _indexes) await ExecAsync($"DROP INDEX \"{name}\"");
        // Default departments may exist from an earlier start; the dataset defines its own.
        await ExecAsync("DELETE FROM departments");
    }

    public async Task WriteReferenceAsync(ReferenceData data)
    {
        using var tx = _connection!.BeginTransaction();
        using (var cmd = Insert("departments", "id", "name", "created_at"))
        {
            foreach (var d in data.Departments) Run(cmd, d.Id, d.Name, Ms(d.CreatedAt));
        }
        using (var cmd = Insert("agents", "id", "email", "name", "password_hash", "role", "is_active", "failed_sign_ins", "language", "time_zone", "created_at"))
        {
            foreach (var a in data.Agents) Run(cmd, a.Id, a.Email, a.Name, a.PasswordHash, a.Role, 1, 0, a.Language, "UTC", Ms(a.CreatedAt));
        }
        using (var cmd = Insert("agent_departments", "agent_id", "department_id"))
        {
            foreach (var (agent, dept) in data.AgentDepartments) Run(cmd, agent, dept);
        }
        using (var cmd = Insert("companies", "id", "name", "domain", "created_at"))
        {
            foreach (var c in data.Companies) Run(cmd, c.Id, c.Name, c.Domain, Ms(c.CreatedAt));
        }
        using (var cmd = Insert("tags", "id", "name"))
        {
            foreach (var (id, name) in data.Tags) Run(cmd, id, name);
        }
        await tx.CommitAsync();
    }

    public async Task WriteContactsAsync(ContactBatch batch)
    {
        using var tx = _connection!.BeginTransaction();
        using (var cmd = Insert("contacts", "id", "name", "company_id", "created_at", "updated_at"))
        {
            foreach (var c in batch.Contacts) Run(cmd, c.Id, c.Name, c.CompanyId, Ms(c.CreatedAt), Ms(c.UpdatedAt));
        }
        using (var cmd = Insert("contact_identities", "id", "contact_id", "type", "provider", "value"))
        {
            foreach (var i in batch.Identities) Run(cmd, i.Id, i.ContactId, i.Type, i.Provider, i.Value);
        }
        WriteEntries(batch.Entries);
        await tx.CommitAsync();
    }

    public async Task WriteTicketsAsync(TicketBatch batch)
    {
        using var tx = _connection!.BeginTransaction();
        using (var cmd = Insert("tickets", "id", "subject", "status", "priority", "channel", "customer_id", "department_id", "assignee_id",
            "created_at", "updated_at", "first_response_at", "resolved_at", "last_message_at", "message_count"))
        {
            foreach (var t in batch.Tickets)
            {
                Run(cmd, t.Id, t.Subject, t.Status, t.Priority, t.Channel, t.CustomerId, t.DepartmentId, t.AssigneeId,
                    Ms(t.CreatedAt), Ms(t.UpdatedAt), Ms(t.FirstResponseAt), Ms(t.ResolvedAt), Ms(t.LastMessageAt), t.MessageCount);
            }
        }
        using (var cmd = Insert("messages", "id", "ticket_id", "kind", "direction", "channel", "author_type", "author_agent_id",
            "author_contact_id", "body_text", "external_id", "created_at"))
        {
            foreach (var m in batch.Messages)
            {
                Run(cmd, m.Id, m.TicketId, m.Kind, m.Direction, m.Channel, m.AuthorType, m.AuthorAgentId, m.AuthorContactId,
                    m.BodyText, m.ExternalId, Ms(m.CreatedAt));
            }
        }
        using (var cmd = Insert("ticket_events", "id", "ticket_id", "actor_type", "actor_id", "actor_name", "type", "field", "old_value", "new_value", "created_at"))
        {
            foreach (var e in batch.Events)
            {
                Run(cmd, e.Id, e.TicketId, e.ActorType, e.ActorId, e.ActorName, e.Type, e.Field, e.OldValue, e.NewValue, Ms(e.CreatedAt));
            }
        }
        using (var cmd = Insert("ticket_tags", "ticket_id", "tag_id"))
        {
            foreach (var (ticket, tag) in batch.TicketTags) Run(cmd, ticket, tag);
        }
        WriteEntries(batch.Entries);
        await tx.CommitAsync();
    }

    private void WriteEntries(List<EntryRow> entries)
    {
        using var cmd = Insert("search_entries", "id", "kind", "ticket_id", "message_id", "contact_id", "tokens");
        foreach (var e in entries) Run(cmd, e.Id, e.Kind, e.TicketId, e.MessageId, e.ContactId, e.Tokens);
    }

    public async Task FinishAsync(Action<string> log)
    {
        var sw = Stopwatch.StartNew();
        foreach (var (name, sql) in _indexes)
        {
            await ExecAsync(sql);
            log($"index {name} ({sw.Elapsed.TotalSeconds:F0} s)");
        }
        // Rebuild reads every row of the content table once; 'optimize' then merges the index into one segment.
        await ExecAsync("INSERT INTO search_fts(search_fts) VALUES ('rebuild')");
        log($"search_fts rebuilt ({sw.Elapsed.TotalSeconds:F0} s)");
        await ExecAsync("INSERT INTO search_fts(search_fts) VALUES ('optimize')");
        log($"search_fts optimized ({sw.Elapsed.TotalSeconds:F0} s)");
        foreach (var (_, sql) in _triggers) await ExecAsync(sql);
    }

    public async Task MarkCompleteAsync(DatasetInfo info)
    {
        await using (var cmd = _connection!.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO instance_settings (key, value) VALUES ($key, $value)";
            cmd.Parameters.AddWithValue("$key", DatasetInfo.SettingKey);
            cmd.Parameters.AddWithValue("$value", JsonSerializer.Serialize(info, BenchJson.Default.DatasetInfo));
            await cmd.ExecuteNonQueryAsync();
        }
        await ExecAsync("PRAGMA locking_mode=NORMAL; PRAGMA journal_mode=WAL;");
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
    }

    private async Task ExecAsync(string sql)
    {
        await using var cmd = _connection!.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync();
    }

    private SqliteCommand Insert(string table, params string[] columns)
    {
        var cmd = _connection!.CreateCommand();
        cmd.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
        for (var i = 0; i < columns.Length; i++) cmd.Parameters.Add(new SqliteParameter("$p" + i, null));
        cmd.Prepare();
        return cmd;
    }

    private static void Run(SqliteCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
        cmd.ExecuteNonQuery();
    }

    private static long Ms(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static long? Ms(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();
}
