using System.Globalization;
using Microsoft.EntityFrameworkCore;
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
        var tickets = await db.Tickets
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
                History.Record(db, ticket, Actor.System, "sla_policy_changed", now, "slaPolicy", null, policy?.Name);
            }
        }
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
}
