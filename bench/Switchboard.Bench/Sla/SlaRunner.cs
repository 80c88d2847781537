using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Switchboard.Automation;
using Switchboard.Core.Data;
using Switchboard.Core.Events;
using Switchboard.Core.Model;
using Switchboard.Sla;

namespace Switchboard.Bench.Sla;

internal sealed record SlaSettings(
    DatabaseProvider Provider, string Connection, int Tickets, int Passes, int LagTickets, int LagSeconds, int Events, int Rules, string Out);

/// <summary>Real time, or a moment the benchmark holds still and moves by hand.</summary>
internal sealed class BenchClock : TimeProvider
{
    public DateTimeOffset? Fixed { get; set; }

    public override DateTimeOffset GetUtcNow() => Fixed ?? base.GetUtcNow();
}

/// <summary>
/// The SLA and automation workers in process, against a fresh database of open tickets: the
/// breach check per pass, detection lag on real time, a full recompute after a calendar change
/// and rule evaluations per second, each next to the bare SQL doing the same reads and writes.
/// </summary>
internal static class SlaRunner
{
    private static readonly TimeSpan Spread = TimeSpan.FromHours(6);
    private static readonly string[] UpdateParameters = ["a", "b", "c", "d", "id"];
    private static readonly string[] DatabaseFileSuffixes = ["", "-wal", "-shm"];

    public static async Task<int> RunAsync(SlaSettings settings)
    {
        var loadBefore = Report.LoadAverage();
        await FreshDatabaseAsync(settings);
        var clock = new BenchClock();
        using var host = BuildHost(settings, clock);
        var services = host.Services;
        var generatedAt = DateTimeOffset.UtcNow;
        clock.Fixed = generatedAt;

        var seed = Stopwatch.StartNew();
        var (policy, departmentId) = await SeedAsync(services, settings, generatedAt);
        Log($"{settings.Tickets:N0} open tickets in {seed.Elapsed.TotalSeconds:F0} s");

        await using var raw = await OpenRawAsync(settings);
        var passes = await MeasurePassesAsync(services, raw, settings, clock, generatedAt, policy);
        Log($"breach pass p50 {passes.Pass.P50:F2} ms, p99 {passes.Pass.P99:F2} ms");
        var lag = await MeasureLagAsync(services, raw, settings, clock);
        Log($"detection lag p50 {lag.Lag.P50:F0} ms, p99 {lag.Lag.P99:F0} ms ({lag.Detected}/{lag.Planted})");
        var recompute = await MeasureRecomputeAsync(services, raw, settings, clock);
        Log($"recompute {recompute.Seconds:F1} s, raw {recompute.RawSeconds:F1} s");
        var rules = await MeasureRulesAsync(services, raw, settings, clock, departmentId);
        Log($"rules {rules.EvaluationsPerSecond:N0} evaluations/s");

        var report = Render(settings, raw, loadBefore, passes, lag, recompute, rules);
        Console.WriteLine(report);
        Directory.CreateDirectory(settings.Out);
        var name = settings.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres";
        await File.WriteAllTextAsync(Path.Combine(settings.Out, $"latest-sla-{name}.md"), report);
        return 0;
    }

    private static void Log(string message) => Console.Error.WriteLine($"[sla] {message}");

    private static async Task FreshDatabaseAsync(SlaSettings settings)
    {
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(settings.Connection).DataSource;
            foreach (var suffix in DatabaseFileSuffixes) File.Delete(file + suffix);
            return;
        }
        var builder = new NpgsqlConnectionStringBuilder(settings.Connection);
        var database = builder.Database ?? throw new ArgumentException("The PostgreSQL connection string must name a Database.");
        builder.Database = "postgres";
        await using var admin = new NpgsqlConnection(builder.ConnectionString);
        await admin.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin).ExecuteNonQueryAsync();
        await new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin).ExecuteNonQueryAsync();
    }

    private static IHost BuildHost(SlaSettings settings, BenchClock clock)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = settings.Provider.ToString(),
            ["ConnectionStrings:Default"] = settings.Connection,
            ["Switchboard:DataDirectory"] = Path.GetTempPath(),
            // The benchmark drives the workers itself.
            ["Sla:RunWorker"] = "false",
            ["Automation:RunWorker"] = "false",
            ["Automation:RunAssignment"] = "false",
        });
        builder.Services.AddLogging();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<AgentPresence>();
        builder.Services.AddSwitchboardDb(builder.Configuration);
        builder.AddSla();
        builder.AddAutomation();
        return builder.Build();
    }

    private static async Task<(SlaPolicy Policy, long DepartmentId)> SeedAsync(IServiceProvider services, SlaSettings settings, DateTimeOffset now)
    {
        long customerId;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
            await DatabaseSetup.MigrateAsync(db);
            foreach (var name in new[] { "Sales support", "Technical support", "Enterprise support" })
            {
                db.Departments.Add(new Department { Name = name, CreatedAt = now });
            }
            var customer = new Contact { Name = "Bench customer", CreatedAt = now, UpdatedAt = now };
            db.Contacts.Add(customer);
            await db.SaveChangesAsync();
            customerId = customer.Id;
        }
        await services.BootstrapSlaAsync();
        await using var seedScope = services.CreateAsyncScope();
        var seedDb = seedScope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var policy = await seedDb.SlaPolicies.AsNoTracking().SingleAsync(p => p.Name == "Technical support · normal");
        var departmentId = await seedDb.Departments.Where(d => d.Name == "Technical support").Select(d => d.Id).SingleAsync();

        var fr = TimeSpan.FromMinutes(policy.FirstResponseMinutes!.Value);
        var frWarn = fr * (policy.WarningPercent / 100.0);
        var res = TimeSpan.FromMinutes(policy.ResolutionMinutes ?? policy.FirstResponseMinutes.Value * 4);
        var resWarn = res * (policy.WarningPercent / 100.0);
        var start = now - Spread;
        await using var raw = await OpenRawAsync(settings);
        await using var cmd = raw.CreateCommand();
        cmd.CommandTimeout = 600;
        const string Columns = "subject, status, priority, channel, customer_id, department_id, created_at, updated_at, message_count, " +
            "sla_breached, sla_warned, sla_status, rating, sla_policy_id, first_response_due_at, first_response_warn_at, " +
            "resolution_due_at, resolution_warn_at, sla_next_check_at, sla_due_at";
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            // Times are Unix milliseconds on SQLite.
            cmd.CommandText = $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {settings.Tickets})
                INSERT INTO tickets ({Columns})
                SELECT 'Bench ticket ' || i, 'open', 'normal', 'email', {customerId}, {departmentId}, c, c, 1,
                       0, 0, 'active', 'none', {policy.Id}, c + {Ms(fr)}, c + {Ms(frWarn)},
                       c + {Ms(res)}, c + {Ms(resWarn)}, c + {Ms(frWarn)}, c + {Ms(fr)}
                FROM (SELECT i, {start.ToUnixTimeMilliseconds()} + (i * {Ms(Spread)}) / {settings.Tickets} AS c FROM n)
                """;
        }
        else
        {
            cmd.CommandText = $"""
                INSERT INTO tickets ({Columns})
                SELECT 'Bench ticket ' || i, 'open', 'normal', 'email', {customerId}, {departmentId}, c, c, 1,
                       0, 0, 'active', 'none', {policy.Id}, c + {Interval(fr)}, c + {Interval(frWarn)},
                       c + {Interval(res)}, c + {Interval(resWarn)}, c + {Interval(frWarn)}, c + {Interval(fr)}
                FROM (SELECT i, timestamptz '{start.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}+00'
                             + make_interval(secs => i::double precision * {Spread.TotalSeconds} / {settings.Tickets}) AS c
                      FROM generate_series(1, {settings.Tickets}) AS i) AS x
                """;
        }
        await cmd.ExecuteNonQueryAsync();
        cmd.CommandText = "ANALYZE";
        await cmd.ExecuteNonQueryAsync();
        return (policy, departmentId);
    }

    private static long Ms(TimeSpan span) => (long)span.TotalMilliseconds;

    private static string Interval(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"interval '{(long)span.TotalMilliseconds} milliseconds'");

    private static async Task<DbConnection> OpenRawAsync(SlaSettings settings)
    {
        DbConnection connection = settings.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(settings.Connection)
            : new NpgsqlConnection(settings.Connection);
        await connection.OpenAsync();
        return connection;
    }

    private static object TimeValue(SlaSettings settings, DateTimeOffset time) =>
        settings.Provider == DatabaseProvider.Sqlite ? time.ToUnixTimeMilliseconds() : time;

    private static DateTimeOffset ReadTime(SlaSettings settings, DbDataReader reader, int ordinal) =>
        settings.Provider == DatabaseProvider.Sqlite
            ? DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal))
            : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private sealed record PassResult(Samples Pass, Samples Raw, double TicketsPerPass);

    /// <summary>
    /// Moves the clock a second per pass through the stretch where warnings come due (about
    /// tickets ÷ 6 h per second), timing the worker's pass and, before it, the bare indexed query
    /// for the same due tickets.
    /// </summary>
    private static async Task<PassResult> MeasurePassesAsync(
        IServiceProvider services, DbConnection raw, SlaSettings settings, BenchClock clock, DateTimeOffset generatedAt, SlaPolicy policy)
    {
        var worker = ActivatorUtilities.CreateInstance<SlaWorker>(services);
        var firstWarning = generatedAt - Spread + TimeSpan.FromMinutes(policy.FirstResponseMinutes!.Value) * (policy.WarningPercent / 100.0);
        clock.Fixed = firstWarning + TimeSpan.FromSeconds(2);
        await worker.RunPassAsync(CancellationToken.None); // warm-up
        var passTimes = new List<double>();
        var rawTimes = new List<double>();
        long handled = 0;
        await using var select = raw.CreateCommand();
        select.CommandText = "SELECT * FROM tickets WHERE sla_next_check_at IS NOT NULL AND sla_next_check_at <= @now ORDER BY sla_next_check_at LIMIT 500";
        var now = select.CreateParameter();
        now.ParameterName = "now";
        select.Parameters.Add(now);
        for (var i = 0; i < settings.Passes; i++)
        {
            clock.Fixed += TimeSpan.FromSeconds(1);
            now.Value = TimeValue(settings, clock.Fixed!.Value);
            var watch = Stopwatch.StartNew();
            await using (var reader = await select.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    for (var c = 0; c < reader.FieldCount; c++) _ = reader.GetValue(c);
                }
            }
            rawTimes.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            handled += await worker.RunPassAsync(CancellationToken.None);
            passTimes.Add(watch.Elapsed.TotalMilliseconds);
        }
        return new PassResult(new Samples(passTimes), new Samples(rawTimes), (double)handled / settings.Passes);
    }

    private sealed record LagResult(Samples Lag, int Planted, int Detected);

    /// <summary>
    /// Real time: makes some tickets come due over the next seconds, runs the SLA worker as the
    /// host does (a pass, then a one-second wait) and compares each breach event's time with the due time.
    /// </summary>
    private static async Task<LagResult> MeasureLagAsync(IServiceProvider services, DbConnection raw, SlaSettings settings, BenchClock clock)
    {
        clock.Fixed = null;
        var start = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
        var ids = new List<long>();
        await using (var pick = raw.CreateCommand())
        {
            pick.CommandText = $"SELECT id FROM tickets ORDER BY id DESC LIMIT {settings.LagTickets}";
            await using var reader = await pick.ExecuteReaderAsync();
            while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        }
        var due = new Dictionary<long, DateTimeOffset>();
        await using (var tx = await raw.BeginTransactionAsync())
        await using (var update = raw.CreateCommand())
        {
            update.Transaction = tx;
            update.CommandText = "UPDATE tickets SET first_response_due_at = @due, first_response_warn_at = NULL, sla_next_check_at = @due, sla_due_at = @due WHERE id = @id";
            var dueParameter = update.CreateParameter();
            dueParameter.ParameterName = "due";
            var idParameter = update.CreateParameter();
            idParameter.ParameterName = "id";
            update.Parameters.Add(dueParameter);
            update.Parameters.Add(idParameter);
            for (var i = 0; i < ids.Count; i++)
            {
                var at = start + TimeSpan.FromSeconds(settings.LagSeconds * (double)i / ids.Count);
                due[ids[i]] = at;
                dueParameter.Value = TimeValue(settings, at);
                idParameter.Value = ids[i];
                await update.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }

        var worker = ActivatorUtilities.CreateInstance<SlaWorker>(services);
        await worker.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(settings.LagSeconds + 5));
        await worker.StopAsync(CancellationToken.None);

        var lags = new List<double>();
        await using (var events = raw.CreateCommand())
        {
            events.CommandText = $"SELECT ticket_id, created_at FROM ticket_events WHERE type = 'sla_breached' AND ticket_id >= {ids.Min()}";
            await using var reader = await events.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (due.TryGetValue(reader.GetInt64(0), out var at)) lags.Add((ReadTime(settings, reader, 1) - at).TotalMilliseconds);
            }
        }
        return new LagResult(new Samples(lags), ids.Count, lags.Count);
    }

    private sealed record RecomputeResult(int Tickets, double Seconds, double RawSeconds);

    /// <summary>
    /// A change of the default calendar (round the clock → weekdays 08:00–18:00) recomputes every
    /// open ticket through the worker's batches; the bare substrate reads the same batches by id
    /// and writes the same due columns row by row with a prepared statement.
    /// </summary>
    private static async Task<RecomputeResult> MeasureRecomputeAsync(IServiceProvider services, DbConnection raw, SlaSettings settings, BenchClock clock)
    {
        clock.Fixed = DateTimeOffset.UtcNow;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
            var calendar = await db.WorkCalendars.SingleAsync(c => c.IsDefault);
            calendar.WeeklyHours = """{"monday":[["08:00","18:00"]],"tuesday":[["08:00","18:00"]],"wednesday":[["08:00","18:00"]],"thursday":[["08:00","18:00"]],"friday":[["08:00","18:00"]]}""";
            await db.SaveChangesAsync();
            await SlaRecompute.RequestAsync(db, scope.ServiceProvider.GetRequiredService<SlaCatalog>(), CancellationToken.None);
        }
        var worker = ActivatorUtilities.CreateInstance<SlaWorker>(services);
        var watch = Stopwatch.StartNew();
        while (await worker.RecomputeStepAsync(CancellationToken.None))
        {
        }
        var seconds = watch.Elapsed.TotalSeconds;

        watch.Restart();
        var cursor = 0L;
        var count = 0;
        const int batch = 2000;
        await using var select = raw.CreateCommand();
        select.CommandText = $"SELECT id, created_at FROM tickets WHERE id > @cursor AND status NOT IN ('resolved', 'closed', 'spam') ORDER BY id LIMIT {batch}";
        var cursorParameter = select.CreateParameter();
        cursorParameter.ParameterName = "cursor";
        select.Parameters.Add(cursorParameter);
        while (true)
        {
            cursorParameter.Value = cursor;
            var rows = new List<(long Id, DateTimeOffset Created)>();
            await using (var reader = await select.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) rows.Add((reader.GetInt64(0), ReadTime(settings, reader, 1)));
            }
            if (rows.Count == 0) break;
            await using var tx = await raw.BeginTransactionAsync();
            await using var update = raw.CreateCommand();
            update.Transaction = tx;
            update.CommandText = "UPDATE tickets SET first_response_due_at = @a, first_response_warn_at = @b, resolution_due_at = @c, " +
                "resolution_warn_at = @d, sla_next_check_at = @b, sla_due_at = @a, sla_status = 'active' WHERE id = @id";
            var parameters = UpdateParameters.Select(n =>
            {
                var p = update.CreateParameter();
                p.ParameterName = n;
                update.Parameters.Add(p);
                return p;
            }).ToArray();
            foreach (var (id, created) in rows)
            {
                parameters[0].Value = TimeValue(settings, created.AddHours(8));
                parameters[1].Value = TimeValue(settings, created.AddHours(6.4));
                parameters[2].Value = TimeValue(settings, created.AddHours(32));
                parameters[3].Value = TimeValue(settings, created.AddHours(25.6));
                parameters[4].Value = id;
                await update.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
            count += rows.Count;
            cursor = rows[^1].Id;
        }
        return new RecomputeResult(count, seconds, watch.Elapsed.TotalSeconds);
    }

    private sealed record RulesResult(int Events, int Rules, double Seconds, double EvaluationsPerSecond, double RawSeconds);

    /// <summary>
    /// Ticket-created events for many tickets and event rules whose conditions read ticket,
    /// customer and tags (none match, so no actions blur the figure), handled by the automation
    /// worker's event passes. Raw: reading the same events and each event's ticket, customer and tags.
    /// </summary>
    private static async Task<RulesResult> MeasureRulesAsync(IServiceProvider services, DbConnection raw, SlaSettings settings, BenchClock clock, long departmentId)
    {
        clock.Fixed = DateTimeOffset.UtcNow;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
            for (var i = 0; i < settings.Rules; i++)
            {
                db.AutomationRules.Add(new AutomationRule
                {
                    Name = $"Bench rule {i}",
                    Position = i,
                    Trigger = "ticket_created",
                    Conditions = i % 2 == 0
                        ? $$"""{"all":[{"field":"ticket.subject","op":"contains","value":"no-such-word-{{i}}"},{"field":"ticket.priority","op":"equals","value":"urgent"}]}"""
                        : $$"""{"any":[{"field":"customer.email","op":"contains","value":"@nowhere-{{i}}.test"},{"field":"ticket.tags","op":"contains","value":"vip-{{i}}"},{"field":"ticket.departmentId","op":"equals","value":"{{departmentId + 1000}}"}]}""",
                    Actions = """[{"type":"set_priority","value":"high"}]""",
                    CreatedAt = clock.GetUtcNow(),
                });
            }
            await db.SaveChangesAsync();
        }
        await using (var cmd = raw.CreateCommand())
        {
            var max = "(SELECT coalesce(max(id), 0) FROM ticket_events)";
            cmd.CommandText = $"""
                DELETE FROM instance_settings WHERE key = '{AutomationWorker.CursorKey}';
                INSERT INTO instance_settings (key, value) SELECT '{AutomationWorker.CursorKey}', CAST({max} AS TEXT);
                INSERT INTO ticket_events (ticket_id, actor_type, type, created_at)
                SELECT id, 'agent', 'created', created_at FROM tickets ORDER BY id LIMIT {settings.Events};
                """;
            await cmd.ExecuteNonQueryAsync();
        }
        var worker = ActivatorUtilities.CreateInstance<AutomationWorker>(services);
        var watch = Stopwatch.StartNew();
        var handled = 0;
        int step;
        while ((step = await worker.RunEventPassAsync(CancellationToken.None)) > 0) handled += step;
        var seconds = watch.Elapsed.TotalSeconds;

        watch.Restart();
        await using (var read = raw.CreateCommand())
        {
            read.CommandText = $"""
                SELECT e.id, t.*, c.name, (SELECT count(*) FROM ticket_tags x WHERE x.ticket_id = t.id)
                FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id JOIN contacts c ON c.id = t.customer_id
                WHERE e.type = 'created' ORDER BY e.id LIMIT {settings.Events}
                """;
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var c = 0; c < reader.FieldCount; c++) _ = reader.GetValue(c);
            }
        }
        var rawSeconds = watch.Elapsed.TotalSeconds;
        return new RulesResult(handled, settings.Rules, seconds, handled * (double)settings.Rules / seconds, rawSeconds);
    }

    private static string Render(SlaSettings settings, DbConnection raw, string loadBefore, PassResult passes, LagResult lag, RecomputeResult recompute, RulesResult rules)
    {
        static string F(double value, string format = "F2") => value.ToString(format, CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        var name = settings.Provider == DatabaseProvider.Sqlite ? "SQLite" : "PostgreSQL";
        text.AppendLine(CultureInfo.InvariantCulture, $"### SLA and automation, {name}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:yyyy-MM-dd}, {name} {raw.ServerVersion}, {Environment.ProcessorCount} cores, .NET {Environment.Version}. " +
            $"{settings.Tickets:N0} open tickets with running SLA clocks (warnings coming due over 6 h, about {F(passes.TicketsPerPass, "F0")} per second of clock). " +
            $"Load average before: {loadBefore}; after: {Report.LoadAverage()}.");
        text.AppendLine();
        text.AppendLine("| Measure | Switchboard | bare substrate | ratio | target | met |");
        text.AppendLine("|---|---:|---:|---:|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| Breach/warning pass, p50 ({passes.Pass.Count} passes, a clock second each) | {F(passes.Pass.P50)} ms | {F(passes.Raw.P50)} ms (indexed SELECT of the due tickets) | {F(passes.Pass.P50 / passes.Raw.P50, "F1")}× | | |");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| Breach/warning pass, p99 | {F(passes.Pass.P99)} ms | {F(passes.Raw.P99)} ms | {F(passes.Pass.P99 / passes.Raw.P99, "F1")}× | ≤ 50 ms | {(passes.Pass.P99 <= 50 ? "yes" : "no")} |");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| Detection lag, due time → breach event, p50 / p99 ({lag.Detected} of {lag.Planted} due over {settings.LagSeconds} s, real time) | {F(lag.Lag.P50, "F0")} / {F(lag.Lag.P99, "F0")} ms | | | p99 ≤ 5 s | {(lag.Detected == lag.Planted && lag.Lag.P99 <= 5000 ? "yes" : "no")} |");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| Full recompute after a calendar change ({recompute.Tickets:N0} tickets) | {F(recompute.Seconds, "F1")} s | {F(recompute.RawSeconds, "F1")} s (read by id, prepared UPDATE per row) | {F(recompute.Seconds / recompute.RawSeconds, "F1")}× | ≤ 60 s | {(recompute.Seconds <= 60 ? "yes" : "no")} |");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| Rule evaluations ({rules.Events:N0} events × {rules.Rules} rules in {F(rules.Seconds, "F1")} s) | {F(rules.EvaluationsPerSecond, "N0")}/s | {F(rules.Events / rules.RawSeconds, "N0")} events/s read raw | {F(rules.Seconds / rules.RawSeconds, "F1")}× time | ≥ 10,000/s | {(rules.EvaluationsPerSecond >= 10_000 ? "yes" : "no")} |");
        return text.ToString();
    }
}
