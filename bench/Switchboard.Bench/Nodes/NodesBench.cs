using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Core.Nodes;
using Switchboard.Tickets;

namespace Switchboard.Bench.Nodes;

internal sealed record NodesSettings(string Connection, int Tickets, int Rate, int Burst, string OutDirectory);

/// <summary>
/// Two app nodes (two service providers with the real bus and ticket feed) on one PostgreSQL
/// database: how long a saved ticket takes to reach a feed listener on the other node, and how
/// many messages a burst pushes through, beside bare pg_notify → LISTEN on raw connections.
/// </summary>
internal static class NodesBench
{
    private const string RawChannel = "bench_raw";

    public static async Task<int> RunAsync(NodesSettings settings)
    {
        await RecreateAsync(settings.Connection);
        using var a = await StartNodeAsync(settings.Connection, migrate: true);
        using var b = await StartNodeAsync(settings.Connection, migrate: false);
        var payload = SamplePayload();

        Console.WriteLine($"Steady: {settings.Tickets} tickets at {settings.Rate}/s on node A, heard on node B");
        var feed = await FeedLatencyAsync(a, b, settings);
        var rawLatency = await RawLatencyAsync(settings.Connection, settings.Tickets, settings.Rate, payload);
        Console.WriteLine($"Burst: {settings.Burst} messages of {Encoding.UTF8.GetByteCount(payload)} bytes");
        var (busRate, busLost) = await BusBurstAsync(a, b, settings.Burst, payload);
        var rawRate = await RawBurstAsync(settings.Connection, settings.Burst, payload);
        await a.StopAsync();
        await b.StopAsync();

        string version;
        await using (var connection = new NpgsqlConnection(settings.Connection))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SHOW server_version", connection);
            version = (string)(await command.ExecuteScalarAsync())!;
        }
        var report = Render(settings, version, feed, rawLatency, busRate, busLost, rawRate);
        Console.WriteLine(report);
        Directory.CreateDirectory(settings.OutDirectory);
        await File.WriteAllTextAsync(Path.Combine(settings.OutDirectory, "latest-nodes-postgres.md"), report);
        return feed.Lost == 0 && busLost == 0 ? 0 : 1;
    }

    private static async Task RecreateAsync(string connection)
    {
        var target = new NpgsqlConnectionStringBuilder(connection);
        var server = new NpgsqlConnectionStringBuilder(connection) { Database = "postgres" };
        await using var admin = new NpgsqlConnection(server.ConnectionString);
        await admin.OpenAsync();
        foreach (var sql in new[] { $"DROP DATABASE IF EXISTS \"{target.Database}\" WITH (FORCE)", $"CREATE DATABASE \"{target.Database}\" TEMPLATE template0 ENCODING 'UTF8'" })
        {
            await using var command = new NpgsqlCommand(sql, admin);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<IHost> StartNodeAsync(string connection, bool migrate)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Default"] = connection,
        });
        builder.Services.AddLogging(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)
            // The probe for the migrations table of a fresh database is logged as a failed command.
            .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Critical));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSwitchboardDb(builder.Configuration);
        builder.Services.AddNodeBus(builder.Configuration);
        builder.AddTickets();
        var host = builder.Build();
        if (migrate)
        {
            await using var scope = host.Services.CreateAsyncScope();
            await DatabaseSetup.MigrateAsync(scope.ServiceProvider.GetRequiredService<SwitchboardDb>());
        }
        await host.StartAsync();
        return host;
    }

    private sealed record FeedResult(Samples Latency, int Lost);

    private static async Task<FeedResult> FeedLatencyAsync(IHost a, IHost b, NodesSettings settings)
    {
        var heardOnA = new ConcurrentDictionary<long, long>();
        var heardOnB = new ConcurrentDictionary<long, long>();
        using var probeA = a.Services.GetRequiredService<TicketFeed>().Subscribe(c => Heard(heardOnA, c));
        using var probeB = b.Services.GetRequiredService<TicketFeed>().Subscribe(c => Heard(heardOnB, c));

        long contactId;
        await using (var scope = a.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
            var contact = new Contact { Name = "Maria Dela Cruz", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
            contactId = contact.Id;
        }

        var created = new List<long>(settings.Tickets);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < settings.Tickets; i++)
        {
            await PaceAsync(start, i, settings.Rate);
            await using var scope = a.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
            var contact = (await db.Contacts.FindAsync(contactId))!;
            var now = DateTimeOffset.UtcNow;
            var message = new Message { BodyText = "Hindi ko ma-download ang resibo. 我无法下载收据。", Channel = Channel.Api, CreatedAt = now };
            var ticket = TicketIntake.Open(db, contact, $"Refund for order {i} — 退款", message, null, now);
            await db.SaveChangesAsync();
            created.Add(ticket.Id);
        }
        await WaitUntilAsync(() => created.All(heardOnB.ContainsKey), TimeSpan.FromSeconds(10));
        var latencies = created.Where(id => heardOnA.ContainsKey(id) && heardOnB.ContainsKey(id))
            .Select(id => Stopwatch.GetElapsedTime(heardOnA[id], heardOnB[id]).TotalMilliseconds).ToList();
        return new FeedResult(new Samples(latencies), created.Count - latencies.Count);
    }

    private static Task Heard(ConcurrentDictionary<long, long> heard, TicketChanged change)
    {
        if (change.Types.Contains("created")) heard.TryAdd(change.TicketId, Stopwatch.GetTimestamp());
        return Task.CompletedTask;
    }

    private static async Task<Samples> RawLatencyAsync(string connection, int count, int rate, string payload)
    {
        var received = new ConcurrentDictionary<int, long>();
        await using var listener = await RawListenerAsync(connection, p => received.TryAdd(int.Parse(p.AsSpan(0, p.IndexOf('|', StringComparison.Ordinal)), CultureInfo.InvariantCulture), Stopwatch.GetTimestamp()));
        await using var sender = NpgsqlDataSource.Create(connection);
        var sent = new long[count];
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            await PaceAsync(start, i, rate);
            await using var conn = await sender.OpenConnectionAsync();
            sent[i] = Stopwatch.GetTimestamp();
            await using var command = new NpgsqlCommand("SELECT pg_notify($1, $2)", conn) { Parameters = { new() { Value = RawChannel }, new() { Value = $"{i}|{payload}" } } };
            await command.ExecuteNonQueryAsync();
        }
        await WaitUntilAsync(() => received.Count >= count, TimeSpan.FromSeconds(10));
        return new Samples(received.Select(r => Stopwatch.GetElapsedTime(sent[r.Key], r.Value).TotalMilliseconds).ToList());
    }

    private static async Task<(double PerSecond, int Lost)> BusBurstAsync(IHost a, IHost b, int count, string payload)
    {
        var heard = 0;
        long last = 0;
        using var probe = b.Services.GetRequiredService<INodeBus>().Subscribe("bench-burst", _ =>
        {
            Interlocked.Increment(ref heard);
            Interlocked.Exchange(ref last, Stopwatch.GetTimestamp());
        });
        var bus = a.Services.GetRequiredService<INodeBus>();
        var start = Stopwatch.GetTimestamp();
        // Distinct payloads, as real ones are: NOTIFY folds identical ones sent in one transaction (a batch).
        for (var i = 0; i < count; i++) bus.Publish("bench-burst", $"{i}|{payload}");
        await WaitUntilAsync(() => Volatile.Read(ref heard) >= count, TimeSpan.FromSeconds(60));
        var seconds = Stopwatch.GetElapsedTime(start, Interlocked.Read(ref last)).TotalSeconds;
        return (heard / seconds, count - heard);
    }

    private static async Task<double> RawBurstAsync(string connection, int count, string payload)
    {
        var heard = 0;
        long last = 0;
        await using var listener = await RawListenerAsync(connection, _ =>
        {
            Interlocked.Increment(ref heard);
            Interlocked.Exchange(ref last, Stopwatch.GetTimestamp());
        });
        await using var sender = new NpgsqlConnection(connection);
        await sender.OpenAsync();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            await using var command = new NpgsqlCommand("SELECT pg_notify($1, $2)", sender) { Parameters = { new() { Value = RawChannel }, new() { Value = $"{i}|{payload}" } } };
            await command.ExecuteNonQueryAsync();
        }
        await WaitUntilAsync(() => Volatile.Read(ref heard) >= count, TimeSpan.FromSeconds(60));
        return heard / Stopwatch.GetElapsedTime(start, Interlocked.Read(ref last)).TotalSeconds;
    }

    /// <summary>A bare LISTEN connection that hands each payload to <paramref name="onPayload"/> until disposed.</summary>
    private static async Task<RawListener> RawListenerAsync(string connection, Action<string> onPayload)
    {
        var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        conn.Notification += (_, e) => onPayload(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {RawChannel}", conn)) await listen.ExecuteNonQueryAsync();
        var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            try
            {
                while (true) await conn.WaitAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        });
        return new RawListener(conn, stop, loop);
    }

    private sealed class RawListener(NpgsqlConnection connection, CancellationTokenSource stop, Task loop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await loop;
            stop.Dispose();
            await connection.DisposeAsync();
        }
    }

    /// <summary>The size of a typical ticket change on the wire (JSON of a created ticket with a Filipino and Chinese subject).</summary>
    private static string SamplePayload() =>
        """{"ticketId":123456,"types":["created"],"status":"new","actorType":"contact","actorId":4242,"actorName":"Maria Dela Cruz","subject":"Refund for order 123456 — 退款"}""";

    private static async Task PaceAsync(long start, int i, int rate)
    {
        var due = TimeSpan.FromSeconds((double)i / rate) - Stopwatch.GetElapsedTime(start);
        if (due > TimeSpan.Zero) await Task.Delay(due);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition() && Stopwatch.GetTimestamp() < until) await Task.Delay(10);
    }

    private static string Render(NodesSettings s, string version, FeedResult feed, Samples raw, double busRate, int busLost, double rawRate)
    {
        static string Ms(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
        static string Ratio(double a, double b) => (a / b).ToString("0.0", CultureInfo.InvariantCulture) + "×";
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"## Two nodes on PostgreSQL {version}");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Steady: {s.Tickets} tickets saved on node A at {s.Rate}/s; latency from A's own feed listener to B's.");
        sb.AppendLine();
        sb.AppendLine("| path | heard | lost | p50 ms | p99 ms | ratio p50 | ratio p99 |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| ticket feed A → B | {feed.Latency.Count} | {feed.Lost} | {Ms(feed.Latency.P50)} | {Ms(feed.Latency.P99)} | {Ratio(feed.Latency.P50, raw.P50)} | {Ratio(feed.Latency.P99, raw.P99)} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| bare pg_notify → LISTEN | {raw.Count} | {s.Tickets - raw.Count} | {Ms(raw.P50)} | {Ms(raw.P99)} | 1.0× | 1.0× |");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Burst: {s.Burst} messages published at once, until the last is heard on the other side.");
        sb.AppendLine();
        sb.AppendLine("| path | messages/s | lost | ratio |");
        sb.AppendLine("|---|---|---|---|");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| node bus A → B (batched) | {busRate:N0} | {busLost} | {Ratio(busRate, rawRate)} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| bare pg_notify, one per round trip | {rawRate:N0} | 0 | 1.0× |");
        return sb.ToString();
    }
}
