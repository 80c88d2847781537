using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Tickets;

namespace Switchboard.Sla;

/// <summary>
/// After a policy or calendar changes, every unfinished ticket's policy is matched again and its
/// due times are derived again from its creation on the calendar that now applies. The work runs
/// in the SLA worker in batches by ticket id, between its breach checks (so warnings and breaches
/// stay on time meanwhile); the position is stored with each batch, so a restart carries on where
/// it stopped, and a further change restarts from the first ticket.
/// </summary>
/// <remarks>
/// A running next-response target keeps its due time: when the customer wrote is not stored on
/// the ticket. Time paused before the change is not added again to the re-derived due times.
/// </remarks>
internal sealed class SlaRecompute(SwitchboardDb db, SlaCatalog catalog, IOptions<SlaOptions> options, TimeProvider time)
{
    public const string Key = "sla.recompute_after";

    private static readonly TicketStatus[] Finished = [TicketStatus.Resolved, TicketStatus.Closed, TicketStatus.Spam];

    /// <summary>Asks for a recompute from the first ticket (saving it), and drops the cached policies.</summary>
    public static async Task RequestAsync(SwitchboardDb db, SlaCatalog catalog, CancellationToken ct)
    {
        catalog.Invalidate();
        if (await db.InstanceSettings.Where(s => s.Key == Key).ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, "0"), ct) > 0) return;
        db.InstanceSettings.Add(new InstanceSetting { Key = Key, Value = "0" });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Requested at the same moment elsewhere: one request covers both.
        }
    }

    /// <summary>Recomputes the next batch; returns false when there is nothing (more) to do.</summary>
    public async Task<bool> StepAsync(CancellationToken ct)
    {
        var cursorText = await db.InstanceSettings.AsNoTracking().Where(s => s.Key == Key).Select(s => s.Value).FirstOrDefaultAsync(ct);
        if (cursorText is null) return false;
        var cursor = long.Parse(cursorText, CultureInfo.InvariantCulture);
        var size = options.Value.RecomputeBatchSize;
        var snapshot = await catalog.GetAsync(db, ct);
        var now = time.GetUtcNow();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tickets = await db.Tickets.AsNoTracking()
            .Where(t => t.Id > cursor && !Finished.Contains(t.Status))
            .OrderBy(t => t.Id)
            .Take(size)
            .ToListAsync(ct);
        var ids = tickets.Select(t => t.Id).ToList();
        var companies = new Dictionary<long, long?>();
        if (snapshot.UsesCompany)
        {
            var customers = tickets.Select(t => t.CustomerId).Distinct().ToList();
            companies = await db.Contacts.AsNoTracking().Where(c => customers.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.CompanyId, ct);
        }
        var tags = snapshot.UsesTags
            ? (await db.TicketTags.AsNoTracking().Where(x => ids.Contains(x.TicketId)).Select(x => new { x.TicketId, x.Tag!.Name }).ToListAsync(ct))
                .ToLookup(x => x.TicketId, x => x.Name)
            : null;

        foreach (var ticket in tickets)
        {
            var policy = snapshot.Match(ticket, companies.GetValueOrDefault(ticket.CustomerId), tags?[ticket.Id].ToList() ?? []);
            var before = ticket.SlaPolicyId;
            SlaClock.Start(ticket, policy, policy is null ? snapshot.DefaultCalendar : snapshot.CalendarFor(policy, ticket.DepartmentId), now);
            if (before != policy?.Id)
            {
                History.Record(db, ticket.Id, Actor.System, "sla_policy_changed", now, "slaPolicy", null, policy?.Name);
            }
        }
        await WriteAsync(tickets, ct);
        await db.SaveChangesAsync(ct);

        var done = tickets.Count < size;
        var settings = db.InstanceSettings.Where(s => s.Key == Key && s.Value == cursorText);
        // Conditional on the cursor read: a change requested meanwhile (cursor back at 0) is kept.
        if (done) await settings.ExecuteDeleteAsync(ct);
        else
        {
            var next = ids[^1].ToString(CultureInfo.InvariantCulture);
            await settings.ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, next), ct);
        }
        await transaction.CommitAsync(ct);
        return !done;
    }

    private static readonly string[] Columns =
    [
        "id", "sla_policy_id", "first_response_due_at", "first_response_warn_at", "next_response_due_at", "next_response_warn_at",
        "resolution_due_at", "resolution_warn_at", "sla_status", "sla_next_check_at", "sla_due_at",
    ];

    /// <summary>
    /// Writes the batch's SLA columns with plain SQL: PostgreSQL in one statement (an UPDATE from a
    /// VALUES list, saving a round trip per row), SQLite, which runs in process, with one prepared
    /// statement per row. Row-by-row updates through the change tracker cost several times more.
    /// </summary>
    private async Task WriteAsync(List<Ticket> tickets, CancellationToken ct)
    {
        if (tickets.Count == 0) return;
        var sqlite = db.IsSqlite;
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var set = string.Join(", ", Columns.Skip(1).Select(c => sqlite ? $"{c} = @{c}" : $"{c} = v.{c}"));
        if (sqlite)
        {
            command.CommandText = $"UPDATE tickets SET {set} WHERE id = @id";
            var parameters = Columns.Select(c => AddParameter(command, "@" + c)).ToArray();
            foreach (var ticket in tickets)
            {
                var values = Values(ticket);
                for (var i = 0; i < values.Length; i++) Bind(parameters[i], values[i], i, sqlite);
                await command.ExecuteNonQueryAsync(ct);
            }
            return;
        }
        var rows = new StringBuilder();
        foreach (var ticket in tickets)
        {
            rows.Append(rows.Length == 0 ? "(" : ",(");
            var values = Values(ticket);
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = AddParameter(command, "@p" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture));
                Bind(parameter, values[i], i, sqlite);
                rows.Append(i == 0 ? "" : ",").Append(parameter.ParameterName);
            }
            rows.Append(')');
        }
        command.CommandText = $"WITH v({string.Join(", ", Columns)}) AS (VALUES {rows}) UPDATE tickets SET {set} FROM v WHERE tickets.id = v.id";
        await command.ExecuteNonQueryAsync(ct);
    }

    private static object?[] Values(Ticket t) =>
    [
        t.Id, t.SlaPolicyId, t.FirstResponseDueAt, t.FirstResponseWarnAt, t.NextResponseDueAt, t.NextResponseWarnAt,
        t.ResolutionDueAt, t.ResolutionWarnAt, t.SlaStatus.ToString().ToLowerInvariant(), t.SlaNextCheckAt, t.SlaDueAt,
    ];

    private static DbParameter AddParameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Ids and the policy are integers, the status text; times are Unix milliseconds on SQLite and timestamptz on PostgreSQL.</summary>
    private static void Bind(DbParameter parameter, object? value, int column, bool sqlite) =>
        (parameter.DbType, parameter.Value) = value switch
        {
            null => (column is 0 or 1 || sqlite ? DbType.Int64 : DbType.DateTimeOffset, (object)DBNull.Value),
            long id => (DbType.Int64, id),
            string text => (DbType.String, text),
            DateTimeOffset time when sqlite => (DbType.Int64, time.ToUnixTimeMilliseconds()),
            DateTimeOffset time => (DbType.DateTimeOffset, time.ToUniversalTime()),
            var other => throw new InvalidOperationException($"Unexpected value {other}."),
        };
}
