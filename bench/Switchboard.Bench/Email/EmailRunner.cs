using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MailKit;
using Microsoft.Data.Sqlite;
using Npgsql;
using Switchboard.Core.Data;

namespace Switchboard.Bench.Email;

internal sealed record EmailSettings(
    DatabaseProvider Provider, string ConnectionString, ImapSettings Imap, string CorpusDirectory, int Messages,
    int LatencyRate, int LatencySeconds, TimeSpan Timeout, string? HostPath, string? DataDirectory, string? HostLog, string OutputDirectory, int WarmupMessages);

internal sealed record IngestResult(int Messages, TimeSpan Elapsed, TimeSpan FirstVisible, long Tickets, long StoredMessages, IReadOnlyDictionary<string, long> InboundByStatus,
    HostCpu? HostCpu, WarmupResult? Warmup)
{
    public double PerSecond => Messages / Elapsed.TotalSeconds;
}

/// <summary>The unmeasured first load: its messages, how long the host took for them and the CPU it used.</summary>
internal sealed record WarmupResult(int Messages, TimeSpan Elapsed, HostCpu? HostCpu);

/// <summary>CPU seconds the host used (all threads) and, of them, its runtime's background tiered-compilation thread.</summary>
internal sealed record HostCpu(double Seconds, double TieredCompilerSeconds)
{
    public static HostCpu? operator -(HostCpu? after, HostCpu? before) =>
        after is null || before is null ? null : new(after.Seconds - before.Seconds, after.TieredCompilerSeconds - before.TieredCompilerSeconds);
}

internal sealed record LatencyResult(int Sent, int Seen, double Rate, Samples Latency, double PollMs);

/// <summary>
/// The email command. Puts the dataset into a fresh Dovecot user's INBOX, measures the bare tools
/// on it, then starts the real host on a fresh database, adds the mailbox through the API and
/// times until the last message is visible through the API. Before either is measured, both run
/// unmeasured over a first set of other messages from the same customers (the warm-up), so the
/// figures are those of a running help desk: code optimised by the JIT, customers known. Then, with the fetcher in IDLE,
/// appends messages one at a time at a steady rate and times each until it is visible.
/// </summary>
internal static class EmailRunner
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(EmailSettings settings)
    {
        using var stop = new CancellationTokenSource(settings.Timeout * 3);
        var ct = stop.Token;
        var loadBefore = Report.LoadAverage();
        var runId = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var provider = settings.Provider.ToString().ToLowerInvariant();
        var user = $"bench-{provider}-{runId}";
        var (hostDb, rawDb, dataDirectory) = await PrepareDatabasesAsync(settings, runId, ct);

        Log($"Building {settings.Messages:N0} messages");
        var set = new MailSet(settings.CorpusDirectory, seed: 42);
        var mails = set.Build(settings.Messages);
        var kinds = mails.GroupBy(m => m.Kind).ToDictionary(g => g.Key, g => g.Count());
        var lastToken = mails[^1].Token!;
        var firstToken = mails.First(m => m.Token is not null).Token!;
        // Built after the measured set, so the measured messages are the same as without a warm-up.
        var warmup = settings.WarmupMessages > 0 ? set.Build(settings.WarmupMessages, "sbw", newThreads: true) : [];
        var warmupUser = user + "-warmup";
        var bytes = await AppendAsync(settings, user, mails, ct);
        if (warmup.Count > 0) await AppendAsync(settings, warmupUser, warmup, ct);

        if (warmup.Count > 0)
        {
            Log($"Substrate warm-up on {warmup.Count:N0} other messages (unmeasured)");
            await Substrate.OneByOneAsync(settings.Provider, rawDb, settings.Imap, warmupUser, ct);
            await Substrate.BatchedAsync(settings.Provider, rawDb, settings.Imap, warmupUser, ct);
        }
        Log("Substrate: one FETCH per message");
        var single = await Substrate.OneByOneAsync(settings.Provider, rawDb, settings.Imap, user, ct);
        Log($"Substrate: {single.PerSecond:N0} messages/s");
        Log("Substrate: one FETCH per 100 messages");
        var batched = await Substrate.BatchedAsync(settings.Provider, rawDb, settings.Imap, user, ct);
        Log($"Substrate: {batched.PerSecond:N0} messages/s");

        var environment = new Dictionary<string, string>
        {
            ["Switchboard__DataDirectory"] = dataDirectory,
            ["Email__RunWorkers"] = "true",
            // As shipped (appsettings.json): one information line per received mail.
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning",
        };
        await using var host = await HostProcess.StartAsync(settings.Provider, hostDb, settings.HostPath, (int)(settings.Timeout.TotalSeconds * 2) + 300, environment, settings.HostLog);
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
        var signIn = await http.PostAsJsonAsync("/api/v1/auth/token", new { email = Dataset.AdminEmail, password = Dataset.AdminPassword }, ct);
        signIn.EnsureSuccessStatusCode();
        using (var body = JsonDocument.Parse(await signIn.Content.ReadAsStringAsync(ct)))
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", body.RootElement.GetProperty("token").GetString());
        }

        WarmupResult? warm = null;
        if (warmup.Count > 0)
        {
            Log($"Warm-up: {warmup.Count:N0} other messages into a mailbox of their own (unmeasured)");
            var cpuBefore = HostCpuSeconds(host.WrapperProcessId);
            var clock = Stopwatch.StartNew();
            await AddMailboxAsync(settings, http, "warmup@bench.example", warmupUser, ct);
            await WaitVisibleAsync(settings, http, hostDb, warmup[^1].Token!, clock, ct);
            warm = new WarmupResult(warmup.Count, clock.Elapsed, HostCpuSeconds(host.WrapperProcessId) - cpuBefore);
            Log($"Warm-up: {warm.Messages:N0} messages in {warm.Elapsed.TotalSeconds:F1} s = {warm.Messages / warm.Elapsed.TotalSeconds:N0}/s; "
                + $"host CPU {warm.HostCpu?.Seconds:F1} s, its tiered compiler {warm.HostCpu?.TieredCompilerSeconds:F1} s");
        }

        var ingest = await IngestAsync(settings, http, hostDb, user, firstToken, lastToken, host.WrapperProcessId, warm, ct);
        var latency = await LatencyAsync(settings, http, set, user, ct);

        var report = EmailReport.Render(settings, loadBefore, await ServerVersionAsync(settings.Provider, rawDb, ct), set.CorpusMessages, kinds, bytes,
            ingest, single, batched, latency);
        Console.WriteLine(report);
        Directory.CreateDirectory(settings.OutputDirectory);
        var file = Path.Combine(settings.OutputDirectory, $"latest-email-{provider}.md");
        await File.WriteAllTextAsync(file, report, ct);
        Log($"Wrote {file}");
        return 0;
    }

    private static async Task<IngestResult> IngestAsync(EmailSettings settings, HttpClient http, string hostDb, string user, string firstToken, string lastToken, int hostWrapper,
        WarmupResult? warmup, CancellationToken ct)
    {
        // What the warm-up left is subtracted, so the counts are those of the measured messages.
        var ticketsBefore = await ScalarAsync(settings.Provider, hostDb, "SELECT count(*) FROM tickets", ct);
        var messagesBefore = await ScalarAsync(settings.Provider, hostDb, "SELECT count(*) FROM messages", ct);
        var statusBefore = await InboundByStatusAsync(settings.Provider, hostDb, ct);
        var cpuBefore = HostCpuSeconds(hostWrapper);
        var clock = Stopwatch.StartNew();
        await AddMailboxAsync(settings, http, MailSet.MailboxAddress, user, ct);
        Log($"Mailbox added; waiting until '{lastToken}' (the last message) is visible");
        var first = await WaitVisibleAsync(settings, http, hostDb, lastToken, clock, ct, firstToken);
        clock.Stop();
        var cpuAfter = HostCpuSeconds(hostWrapper);
        var byStatus = (await InboundByStatusAsync(settings.Provider, hostDb, ct))
            .Select(s => (s.Key, Value: s.Value - statusBefore.GetValueOrDefault(s.Key)))
            .Where(s => s.Value > 0)
            .ToDictionary(s => s.Key, s => s.Value);
        var result = new IngestResult(settings.Messages, clock.Elapsed, first ?? clock.Elapsed,
            await ScalarAsync(settings.Provider, hostDb, "SELECT count(*) FROM tickets", ct) - ticketsBefore,
            await ScalarAsync(settings.Provider, hostDb, "SELECT count(*) FROM messages", ct) - messagesBefore, byStatus, cpuAfter - cpuBefore, warmup);
        Log($"Switchboard: {result.Messages:N0} messages in {result.Elapsed.TotalSeconds:F1} s = {result.PerSecond:N0}/s; {result.Tickets:N0} tickets, "
            + $"{result.StoredMessages:N0} messages; inbound by status: {string.Join(", ", byStatus.Select(s => $"{s.Key} {s.Value}"))}; "
            + $"host CPU {result.HostCpu?.Seconds:F1} s, its tiered compiler {result.HostCpu?.TieredCompilerSeconds:F1} s");
        return result;
    }

    private static async Task<long> AppendAsync(EmailSettings settings, string user, List<BenchMail> mails, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var client = await settings.Imap.ConnectAsync(user, ct);
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        foreach (var chunk in mails.Chunk(100))
        {
            var requests = chunk.Select(m => (IAppendRequest)new AppendRequest(m.Message, MessageFlags.None)).ToList();
            await client.Inbox.AppendAsync(requests, ct);
        }
        var bytes = (await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.Size, ct)).Sum(s => (long)(s.Size ?? 0));
        await client.DisconnectAsync(true, ct);
        Log($"Appended {mails.Count:N0} messages ({bytes / 1048576.0:F1} MB) to {user}'s INBOX in {clock.Elapsed.TotalSeconds:F1} s");
        return bytes;
    }

    private static async Task AddMailboxAsync(EmailSettings settings, HttpClient http, string address, string user, CancellationToken ct)
    {
        var created = await http.PostAsJsonAsync("/api/v1/mailboxes", new
        {
            address,
            name = "Bench support",
            inbound = new { type = "imap", host = settings.Imap.Host, port = settings.Imap.Port, security = "none", username = user, password = settings.Imap.Password, folder = "INBOX" },
            autoAcknowledge = false,
        }, ct);
        if (!created.IsSuccessStatusCode) throw new InvalidOperationException($"POST /api/v1/mailboxes answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync(ct)}");
    }

    /// <summary>Polls every 100 ms until a search for <paramref name="lastToken"/> finds it; returns when <paramref name="firstToken"/> was first found.</summary>
    private static async Task<TimeSpan?> WaitVisibleAsync(EmailSettings settings, HttpClient http, string hostDb, string lastToken, Stopwatch clock, CancellationToken ct,
        string? firstToken = null)
    {
        TimeSpan? first = null;
        var lastProgress = TimeSpan.Zero;
        while (true)
        {
            if (clock.Elapsed > settings.Timeout) throw new TimeoutException($"'{lastToken}' was not visible after {settings.Timeout.TotalSeconds:F0} s.");
            if (firstToken is not null && first is null && await CountAsync(http, $"/api/v1/tickets?q={firstToken}", ct) > 0) first = clock.Elapsed;
            if (await CountAsync(http, $"/api/v1/tickets?q={lastToken}", ct) > 0) return first;
            if (clock.Elapsed - lastProgress > TimeSpan.FromSeconds(10))
            {
                lastProgress = clock.Elapsed;
                var stored = await ScalarAsync(settings.Provider, hostDb, "SELECT count(*) FROM inbound_mails", ct);
                Log($"{stored:N0} received in all after {clock.Elapsed.TotalSeconds:F0} s, load {Report.LoadAverage()}");
            }
            await Task.Delay(100, ct);
        }
    }

    private static async Task<Dictionary<string, long>> InboundByStatusAsync(DatabaseProvider provider, string hostDb, CancellationToken ct)
    {
        var byStatus = new Dictionary<string, long>();
        await using var db = await OpenAsync(provider, hostDb, ct);
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT status, count(*) FROM inbound_mails GROUP BY status ORDER BY status";
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) byStatus[Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? "?"] = reader.GetInt64(1);
        return byStatus;
    }

    /// <summary>Appends one new conversation at a time at a steady rate; one poller reads the newest tickets and matches their subjects.</summary>
    private static async Task<LatencyResult> LatencyAsync(EmailSettings settings, HttpClient http, MailSet set, string user, CancellationToken ct)
    {
        const double PollMs = 50;
        var count = settings.LatencyRate * settings.LatencySeconds;
        var mails = Enumerable.Range(0, count).Select(i => set.NewConversation(MailSet.Token("sbl", i))).ToList();
        var appended = new ConcurrentDictionary<string, long>();
        var latencies = new ConcurrentDictionary<string, double>();
        using var done = new CancellationTokenSource();
        var poller = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                // A full page: a poll that comes late on a loaded machine still lists every new ticket.
                var json = await http.GetStringAsync("/api/v1/tickets?sort=-createdAt&limit=100", ct);
                var now = Stopwatch.GetTimestamp();
                using var doc = JsonDocument.Parse(json);
                foreach (var item in doc.RootElement.GetProperty("items").EnumerateArray())
                {
                    var subject = item.GetProperty("subject").GetString() ?? "";
                    var token = subject[(subject.LastIndexOf(' ') + 1)..];
                    if (appended.TryGetValue(token, out var at)) latencies.TryAdd(token, Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
                }
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(PollMs), done.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }, CancellationToken.None);

        Log($"Latency: appending {count} messages at {settings.LatencyRate}/s with the fetcher in IDLE");
        using (var client = await settings.Imap.ConnectAsync(user, ct))
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / settings.LatencyRate) - Stopwatch.GetElapsedTime(start);
                if (due > TimeSpan.Zero) await Task.Delay(due, ct);
                await client.Inbox.AppendAsync(new AppendRequest(mails[i].Message, MessageFlags.None), ct);
                appended[mails[i].Token!] = Stopwatch.GetTimestamp();
            }
            await client.DisconnectAsync(true, ct);
        }
        var wait = Stopwatch.StartNew();
        while (latencies.Count < count && wait.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(100, ct);
        await done.CancelAsync();
        await poller;
        foreach (var missing in mails.Select(m => m.Token!).Where(t => !latencies.ContainsKey(t)).Take(10))
        {
            Log($"Latency: '{missing}' not seen by the poller; a search for it finds {await CountAsync(http, $"/api/v1/tickets?q={missing}", ct)} tickets");
        }
        var result = new LatencyResult(count, latencies.Count, settings.LatencyRate, new Samples([.. latencies.Values]), PollMs);
        Log($"Latency: {result.Seen}/{count} visible; p50 {result.Latency.P50:F0} ms, p99 {result.Latency.P99:F0} ms");
        return result;
    }

    /// <summary>
    /// CPU time the host (the child of the timeout(1) wrapper) has used so far, from /proc: all its threads, and the
    /// runtime's background tiered-compilation thread (which recompiles hot methods with optimisations); null where there is none.
    /// </summary>
    private static HostCpu? HostCpuSeconds(int wrapper)
    {
        try
        {
            var child = File.ReadAllText($"/proc/{wrapper}/task/{wrapper}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            var tiered = 0.0;
            foreach (var task in Directory.EnumerateDirectories($"/proc/{child}/task"))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered", StringComparison.Ordinal)) tiered += CpuSeconds(Path.Combine(task, "stat"));
                }
                catch (IOException)
                {
                    // A thread that ended between the listing and the read.
                }
            }
            return new HostCpu(CpuSeconds($"/proc/{child}/stat"), tiered);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException or FormatException)
        {
            return null;
        }
    }

    /// <summary>utime + stime of a /proc stat file: fields 14 and 15, in clock ticks (100 per second on Linux).</summary>
    private static double CpuSeconds(string statFile)
    {
        var stat = File.ReadAllText(statFile);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static async Task<int> CountAsync(HttpClient http, string path, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync(path, ct));
        return doc.RootElement.GetProperty("items").GetArrayLength();
    }

    /// <summary>Fresh databases for this run: the host's (migrated by the host) and the substrate's, plus the host's data folder.</summary>
    private static async Task<(string Host, string Raw, string DataDirectory)> PrepareDatabasesAsync(EmailSettings settings, string runId, CancellationToken ct)
    {
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            var path = new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource;
            var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (File.Exists(path)) throw new ArgumentException($"{path} exists; the email benchmark needs a fresh database.");
            var raw = Path.Combine(dir, $"substrate-{runId}.db");
            return (settings.ConnectionString, new SqliteConnectionStringBuilder { DataSource = raw }.ToString(), settings.DataDirectory ?? Path.Combine(dir, $"data-{runId}"));
        }
        var host = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Database = $"switchboard_email_{runId}" };
        var substrate = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Database = $"substrate_email_{runId}" };
        var admin = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Database = "postgres", Pooling = false };
        await using (var db = new NpgsqlConnection(admin.ToString()))
        {
            await db.OpenAsync(ct);
            await using var create = db.CreateCommand();
            create.CommandText = $"CREATE DATABASE {substrate.Database}";
            await create.ExecuteNonQueryAsync(ct);
        }
        return (host.ToString(), substrate.ToString(), settings.DataDirectory ?? Path.Combine(Path.GetTempPath(), $"switchboard-email-bench-{runId}"));
    }

    private static async Task<DbConnection> OpenAsync(DatabaseProvider provider, string connectionString, CancellationToken ct)
    {
        DbConnection db = provider == DatabaseProvider.Sqlite ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);
        await db.OpenAsync(ct);
        return db;
    }

    private static async Task<long> ScalarAsync(DatabaseProvider provider, string connectionString, string sql, CancellationToken ct)
    {
        await using var db = await OpenAsync(provider, connectionString, ct);
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static async Task<string> ServerVersionAsync(DatabaseProvider provider, string connectionString, CancellationToken ct)
    {
        await using var db = await OpenAsync(provider, connectionString, ct);
        return provider == DatabaseProvider.Sqlite ? $"SQLite {db.ServerVersion}" : $"PostgreSQL {db.ServerVersion}";
    }

    private static void Log(string message) => Runner.Log(message);
}
