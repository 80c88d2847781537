using System.Data.Common;
using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.Data.Sqlite;
using MimeKit;
using Npgsql;
using Switchboard.Core.Data;

namespace Switchboard.Bench.Email;

internal sealed record SubstrateResult(string Name, int Messages, TimeSpan Elapsed)
{
    public double PerSecond => Messages / Elapsed.TotalSeconds;
}

/// <summary>
/// The bare tools on the same messages: MailKit fetches BODY.PEEK[], MimeKit parses, and one
/// INSERT of sender, subject and text per message goes into a plain table with ADO.NET, one
/// transaction per 100 messages. Read-only on the server, so the messages stay unseen.
/// </summary>
internal static class Substrate
{
    private const int Batch = 100;

    /// <summary>One FETCH per message, as the fetcher did before it fetched in batches (the issue's yardstick).</summary>
    public static async Task<SubstrateResult> OneByOneAsync(DatabaseProvider provider, string connectionString, ImapSettings imap, string user, CancellationToken ct)
    {
        using var client = await imap.ConnectAsync(user, ct);
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly, ct);
        var uids = (await inbox.SearchAsync(SearchQuery.All, ct)).OrderBy(u => u.Id).ToList();
        await using var db = await OpenAsync(provider, connectionString, "raw_mail_single", ct);
        var clock = Stopwatch.StartNew();
        DbTransaction? tx = null;
        for (var i = 0; i < uids.Count; i++)
        {
            tx ??= await db.BeginTransactionAsync(ct);
            await using (var stream = await inbox.GetStreamAsync(uids[i], string.Empty, ct))
            {
                var message = await MimeMessage.LoadAsync(stream, ct);
                await InsertAsync(db, tx, "raw_mail_single", message, ct);
            }
            if ((i + 1) % Batch == 0)
            {
                await tx.CommitAsync(ct);
                await tx.DisposeAsync();
                tx = null;
            }
        }
        if (tx is not null)
        {
            await tx.CommitAsync(ct);
            await tx.DisposeAsync();
        }
        clock.Stop();
        await client.DisconnectAsync(true, ct);
        return new SubstrateResult("one FETCH per message", uids.Count, clock.Elapsed);
    }

    /// <summary>One FETCH command for each 100 messages (what the tools allow at best).</summary>
    public static async Task<SubstrateResult> BatchedAsync(DatabaseProvider provider, string connectionString, ImapSettings imap, string user, CancellationToken ct)
    {
        using var client = await imap.ConnectAsync(user, ct);
        var inbox = (ImapFolder)client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly, ct);
        var uids = (await inbox.SearchAsync(SearchQuery.All, ct)).OrderBy(u => u.Id).ToList();
        await using var db = await OpenAsync(provider, connectionString, "raw_mail_batch", ct);
        var clock = Stopwatch.StartNew();
        foreach (var chunk in uids.Chunk(Batch))
        {
            await using var tx = await db.BeginTransactionAsync(ct);
            await inbox.GetStreamsAsync(chunk, async (_, _, _, stream, token) =>
            {
                var message = await MimeMessage.LoadAsync(stream, token);
                await InsertAsync(db, tx, "raw_mail_batch", message, token);
            }, ct);
            await tx.CommitAsync(ct);
        }
        clock.Stop();
        await client.DisconnectAsync(true, ct);
        return new SubstrateResult("one FETCH per 100 messages", uids.Count, clock.Elapsed);
    }

    private static async Task InsertAsync(DbConnection db, DbTransaction tx, string table, MimeMessage message, CancellationToken ct)
    {
        await using var insert = db.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = $"INSERT INTO {table} (from_address, subject, body) VALUES (@from, @subject, @body)";
        Add(insert, "from", message.From.Mailboxes.FirstOrDefault()?.Address);
        Add(insert, "subject", message.Subject);
        Add(insert, "body", message.TextBody ?? message.HtmlBody ?? "");
        await insert.ExecuteNonQueryAsync(ct);
    }

    private static void Add(DbCommand command, string name, string? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = (object?)value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static async Task<DbConnection> OpenAsync(DatabaseProvider provider, string connectionString, string table, CancellationToken ct)
    {
        DbConnection db = provider == DatabaseProvider.Sqlite ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);
        await db.OpenAsync(ct);
        await using var create = db.CreateCommand();
        // Same journal mode as the host's database.
        create.CommandText = (provider == DatabaseProvider.Sqlite ? "PRAGMA journal_mode=WAL; " : "")
            + $"CREATE TABLE IF NOT EXISTS {table} (id {(provider == DatabaseProvider.Sqlite ? "INTEGER PRIMARY KEY" : "bigserial PRIMARY KEY")}, from_address text, subject text, body text NOT NULL)";
        await create.ExecuteNonQueryAsync(ct);
        return db;
    }
}

/// <summary>The Dovecot the script started: <c>host=127.0.0.1;port=N;password=PW</c>; any user name logs in.</summary>
internal sealed record ImapSettings(string Host, int Port, string Password)
{
    public static ImapSettings Parse(string value)
    {
        var parts = value.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p.Length > 1 ? p[1].Trim() : "", StringComparer.OrdinalIgnoreCase);
        return new ImapSettings(
            parts.GetValueOrDefault("host") ?? "127.0.0.1",
            int.Parse(parts.GetValueOrDefault("port") ?? throw new ArgumentException("--imap needs port=N."), System.Globalization.CultureInfo.InvariantCulture),
            parts.GetValueOrDefault("password") ?? throw new ArgumentException("--imap needs password=PW."));
    }

    public async Task<ImapClient> ConnectAsync(string user, CancellationToken ct)
    {
        var client = new ImapClient { Timeout = 120_000 };
        await client.ConnectAsync(Host, Port, MailKit.Security.SecureSocketOptions.None, ct);
        await client.AuthenticateAsync(user, Password, ct);
        return client;
    }
}
