using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Switchboard.Core.Data;

namespace Switchboard.Bench;

/// <summary>
/// Loads PostgreSQL with binary COPY. Foreign keys and secondary indexes (the GIN search index
/// among them) are dropped after migrating and recreated after the load from the definitions
/// the server reports, so the final schema is exactly what the migrations made.
/// </summary>
internal sealed class PostgresLoader(string connectionString) : IBulkLoader
{
    private readonly List<(string Name, string Sql)> _indexes = [];
    private readonly List<(string Table, string Name, string Definition)> _foreignKeys = [];
    private NpgsqlConnection? _connection;

    public async Task<DatasetInfo?> ExistingAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT value FROM instance_settings WHERE key = @key", connection);
            cmd.Parameters.AddWithValue("key", DatasetInfo.SettingKey);
            return await cmd.ExecuteScalarAsync() is string json ? JsonSerializer.Deserialize(json, BenchJson.Default.DatasetInfo) : null;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }
    }

    public async Task PrepareAsync()
    {
        // An unfinished load cannot be trusted (its indexes are gone): start over with a new database.
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database ?? throw new InvalidOperationException("The connection string must name a Database.");
        builder.Database = "postgres";
        await using (var admin = new NpgsqlConnection(builder.ConnectionString))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin).ExecuteNonQueryAsync();
            await new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin).ExecuteNonQueryAsync();
        }
        NpgsqlConnection.ClearAllPools();

        await using (var db = Db.Create(DatabaseProvider.Postgres, connectionString))
        {
            await DatabaseSetup.MigrateAsync(db);
        }

        _connection = new NpgsqlConnection(connectionString);
        await _connection.OpenAsync();
        await using (var cmd = new NpgsqlCommand("""
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE c.contype = 'f' AND n.nspname = 'public'
            """, _connection))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) _foreignKeys.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        await using (var cmd = new NpgsqlCommand("""
            SELECT indexname, indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND indexname NOT IN (SELECT conname FROM pg_constraint)
            """, _connection))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) _indexes.Add((reader.GetString(0), reader.GetString(1)));
        }
        foreach (var (table, name, _) in _foreignKeys) await ExecAsync($"ALTER TABLE {table} DROP CONSTRAINT \"{name}\"");
        foreach (var (name, _) in _indexes) await ExecAsync($"DROP INDEX \"{name}\"");
        await ExecAsync("DELETE FROM departments");
    }

    public async Task WriteReferenceAsync(ReferenceData data)
    {
        await CopyAsync("departments (id, name, created_at)", data.Departments, (w, d) =>
        {
            w.Write(d.Id); w.Write(d.Name); w.Write(d.CreatedAt);
        });
        await CopyAsync("agents (id, email, name, password_hash, role, is_active, failed_sign_ins, language, time_zone, created_at)", data.Agents, (w, a) =>
        {
            w.Write(a.Id); w.Write(a.Email); w.Write(a.Name); w.Write(a.PasswordHash); w.Write(a.Role);
            w.Write(true); w.Write(0); w.Write(a.Language); w.Write("UTC"); w.Write(a.CreatedAt);
        });
        await CopyAsync("agent_departments (agent_id, department_id)", data.AgentDepartments, (w, x) =>
        {
            w.Write(x.AgentId); w.Write(x.DepartmentId);
        });
        await CopyAsync("companies (id, name, domain, created_at)", data.Companies, (w, c) =>
        {
            w.Write(c.Id); w.Write(c.Name); w.Write(c.Domain); w.Write(c.CreatedAt);
        });
        await CopyAsync("tags (id, name)", data.Tags, (w, t) =>
        {
            w.Write(t.Id); w.Write(t.Name);
        });
    }

    public async Task WriteContactsAsync(ContactBatch batch)
    {
        await CopyAsync("contacts (id, name, company_id, created_at, updated_at)", batch.Contacts, (w, c) =>
        {
            w.Write(c.Id); w.Write(c.Name); Nullable(w, c.CompanyId); w.Write(c.CreatedAt); w.Write(c.UpdatedAt);
        });
        await CopyAsync("contact_identities (id, contact_id, type, provider, value)", batch.Identities, (w, i) =>
        {
            w.Write(i.Id); w.Write(i.ContactId); w.Write(i.Type); w.Write(i.Provider); w.Write(i.Value);
        });
        await WriteEntriesAsync(batch.Entries);
    }

    public async Task WriteTicketsAsync(TicketBatch batch)
    {
        await CopyAsync("tickets (id, subject, status, priority, channel, customer_id, department_id, assignee_id, created_at, updated_at, " +
            "first_response_at, resolved_at, last_message_at, message_count)", batch.Tickets, (w, t) =>
        {
            w.Write(t.Id); w.Write(t.Subject); w.Write(t.Status); w.Write(t.Priority); w.Write(t.Channel); w.Write(t.CustomerId);
            Nullable(w, t.DepartmentId); Nullable(w, t.AssigneeId); w.Write(t.CreatedAt); w.Write(t.UpdatedAt);
            Nullable(w, t.FirstResponseAt); Nullable(w, t.ResolvedAt); Nullable(w, t.LastMessageAt); w.Write(t.MessageCount);
        });
        await CopyAsync("messages (id, ticket_id, kind, direction, channel, author_type, author_agent_id, author_contact_id, body_text, external_id, created_at)",
            batch.Messages, (w, m) =>
            {
                w.Write(m.Id); w.Write(m.TicketId); w.Write(m.Kind); w.Write(m.Direction); w.Write(m.Channel); w.Write(m.AuthorType);
                Nullable(w, m.AuthorAgentId); Nullable(w, m.AuthorContactId); w.Write(m.BodyText); Nullable(w, m.ExternalId); w.Write(m.CreatedAt);
            });
        await CopyAsync("ticket_events (id, ticket_id, actor_type, actor_id, actor_name, type, field, old_value, new_value, created_at)", batch.Events, (w, e) =>
        {
            w.Write(e.Id); w.Write(e.TicketId); w.Write(e.ActorType); Nullable(w, e.ActorId); Nullable(w, e.ActorName); w.Write(e.Type);
            Nullable(w, e.Field); Nullable(w, e.OldValue); Nullable(w, e.NewValue); w.Write(e.CreatedAt);
        });
        await CopyAsync("ticket_tags (ticket_id, tag_id)", batch.TicketTags, (w, x) =>
        {
            w.Write(x.TicketId); w.Write(x.TagId);
        });
        await WriteEntriesAsync(batch.Entries);
    }

    private Task WriteEntriesAsync(List<EntryRow> entries) =>
        CopyAsync("search_entries (id, kind, ticket_id, message_id, contact_id, tokens)", entries, (w, e) =>
        {
            w.Write(e.Id); w.Write(e.Kind); Nullable(w, e.TicketId); Nullable(w, e.MessageId); Nullable(w, e.ContactId); w.Write(e.Tokens);
        });

    public async Task FinishAsync(Action<string> log)
    {
        var sw = Stopwatch.StartNew();
        // Identity columns were given explicit values; move their sequences past them.
        await ExecAsync("""
            DO $$ DECLARE r record; BEGIN
              FOR r IN SELECT table_name, column_name FROM information_schema.columns
                       WHERE table_schema = 'public' AND is_identity = 'YES' LOOP
                EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), COALESCE((SELECT max(%I) FROM %I), 0) + 1, false)',
                               r.table_name, r.column_name, r.column_name, r.table_name);
              END LOOP;
            END $$;
            """);
        // Two connections for two cores: the GIN index alone takes about as long as all the B-trees.
        var gin = _indexes.Where(i => i.Sql.Contains("USING gin", StringComparison.OrdinalIgnoreCase)).ToList();
        var others = _indexes.Except(gin).ToList();
        await Task.WhenAll(BuildAsync(gin), BuildAsync(others));
        log($"indexes built ({sw.Elapsed.TotalSeconds:F0} s)");
        foreach (var (table, name, definition) in _foreignKeys)
        {
            await ExecAsync($"ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}");
        }
        log($"foreign keys validated ({sw.Elapsed.TotalSeconds:F0} s)");
        await ExecAsync("VACUUM (ANALYZE)");
        log($"vacuumed and analyzed ({sw.Elapsed.TotalSeconds:F0} s)");

        async Task BuildAsync(List<(string Name, string Sql)> indexes)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await new NpgsqlCommand("SET maintenance_work_mem = '1GB'", connection).ExecuteNonQueryAsync();
            foreach (var (name, sql) in indexes)
            {
                await new NpgsqlCommand(sql, connection) { CommandTimeout = 0 }.ExecuteNonQueryAsync();
                log($"index {name} ({sw.Elapsed.TotalSeconds:F0} s)");
            }
        }
    }

    public async Task MarkCompleteAsync(DatasetInfo info)
    {
        await using var cmd = new NpgsqlCommand("INSERT INTO instance_settings (key, value) VALUES (@key, @value)", _connection);
        cmd.Parameters.AddWithValue("key", DatasetInfo.SettingKey);
        cmd.Parameters.AddWithValue("value", JsonSerializer.Serialize(info, BenchJson.Default.DatasetInfo));
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
    }

    private async Task ExecAsync(string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, _connection) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task CopyAsync<T>(string target, List<T> rows, Action<NpgsqlBinaryImporter, T> write)
    {
        if (rows.Count == 0) return;
        await using var importer = await _connection!.BeginBinaryImportAsync($"COPY {target} FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await importer.StartRowAsync();
            write(importer, row);
        }
        await importer.CompleteAsync();
    }

    private static void Nullable<T>(NpgsqlBinaryImporter w, T? value) where T : struct
    {
        if (value is { } v) w.Write(v);
        else w.WriteNull();
    }

    private static void Nullable(NpgsqlBinaryImporter w, string? value)
    {
        if (value is null) w.WriteNull();
        else w.Write(value);
    }
}
