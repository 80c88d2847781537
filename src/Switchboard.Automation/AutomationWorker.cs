using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Automation;

/// <summary>
/// Runs rules. Event rules: tails <c>ticket_events</c> by id from a stored cursor, so every change
/// made anywhere (API, email, SLA worker, other nodes) is seen once; the rules' changes and the
/// cursor's advance commit together, and the advance is a conditional update, so of several nodes
/// exactly one handles a batch. Time rules: a periodic pass on the clock over an indexed filter.
/// </summary>
internal sealed class AutomationWorker(
    IServiceScopeFactory scopes, RuleCatalog catalog, [FromKeyedServices(AutomationSignal.Rules)] AutomationSignal signal, WebhookSender webhooks,
    IOptions<AutomationOptions> options, TimeProvider time, ILogger<AutomationWorker> logger) : BackgroundService
{
    public const string CursorKey = "automation.event_cursor";
    public const string TimePassKey = "automation.time_pass";

    /// <summary>
    /// On PostgreSQL a transaction can commit an event with a lower id after one with a higher id was
    /// read. A gap in the ids is waited for this long (real time: it is about commit order, not the
    /// business clock) before it is taken for a rolled-back or deleted row.
    /// </summary>
    private static readonly TimeSpan GapGrace = TimeSpan.FromSeconds(3);
    private (long Id, long SeenAt)? _gap;

    /// <summary>
    /// How far this instance got past the stored cursor without writing it: a pass over events that no
    /// rule listens to has nothing to record but the cursor, and on SQLite that write would take the one
    /// writer's turn from ticket writes (mail ingestion, say) on every pass. It is written with the next
    /// pass that records something, when the log goes quiet, or after <see cref="CursorWriteInterval"/>;
    /// a restart in between only looks at those events again.
    /// </summary>
    private (long Stored, long Reached, long SinceTicks)? _unwritten;

    /// <summary>The longest a busy log keeps the cursor unwritten (real time).</summary>
    private static readonly TimeSpan CursorWriteInterval = TimeSpan.FromSeconds(5);

    /// <summary>The shortest time between two passes over the event log (real time).</summary>
    private static readonly TimeSpan PassSpacing = TimeSpan.FromMilliseconds(250);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(RunEventsAsync(stoppingToken), RunTimeRulesAsync(stoppingToken));

    private async Task RunEventsAsync(CancellationToken ct)
    {
        await Task.Yield();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                while (await RunEventPassAsync(ct) >= options.Value.BatchSize)
                {
                }
                // Every save signals; gathering the saves of a short while into one pass keeps the
                // cursor's write transaction from competing with each ticket write (SQLite has one writer).
                await Task.Delay(PassSpacing, ct);
                await signal.WaitAsync(options.Value.PollInterval, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A failing batch is retried from the same cursor: nothing of it was committed.
                logger.LogError(e, "Running automation rules failed; trying again shortly.");
                await Task.Delay(options.Value.PollInterval, ct);
            }
        }
    }

    private async Task RunTimeRulesAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.Value.TimeRuleInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                // Leave the thread that fired the tick: a clock moved by days fires every missed tick in
                // one call, and SQLite's synchronous I/O would run a whole pass inside each of them.
                await Task.Yield();
                try
                {
                    await RunTimePassAsync(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "The time-rule pass failed; trying again at the next tick.");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Handles the next batch of ticket events; returns how many were consumed.</summary>
    internal async Task<int> RunEventPassAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var stored = await ReadCursorAsync(db, ct);
        // Another node moved the stored cursor: what this one reached without writing no longer counts.
        if (_unwritten is { } unwritten && unwritten.Stored != stored) _unwritten = null;
        var cursor = _unwritten?.Reached ?? stored;
        var batch = await db.TicketEvents.AsNoTracking().Where(e => e.Id > cursor).OrderBy(e => e.Id).Take(options.Value.BatchSize).ToListAsync(ct);
        batch = HoldAtGap(cursor, batch);
        if (batch.Count == 0)
        {
            if (_unwritten is { } quiet)
            {
                // The log is quiet: now the write competes with nothing.
                _unwritten = null;
                await AdvanceAsync(db, CursorKey, Format(quiet.Stored), Format(quiet.Reached), ct);
            }
            return 0;
        }

        var rules = await catalog.GetAsync(db, ct);
        var relevant = batch.Where(e => !RuleActor.IsRuleEvent(e) && Triggers.ForEvent(e.Type) is { } t && rules.Contains(t)).GroupBy(e => e.TicketId).ToList();
        var since = _unwritten?.SinceTicks ?? Environment.TickCount64;
        if (relevant.Count == 0 && Environment.TickCount64 - since < CursorWriteInterval.TotalMilliseconds)
        {
            _unwritten = (stored, batch[^1].Id, since);
            return batch.Count;
        }
        _unwritten = null;

        var runner = ActivatorUtilities.CreateInstance<RuleRunner>(scope.ServiceProvider);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tickets = relevant.Count == 0 ? [] : await runner.LoadTicketsAsync(relevant.Select(g => g.Key).ToList(), ct);
        foreach (var events in relevant)
        {
            if (!tickets.TryGetValue(events.Key, out var ticket)) continue;
            foreach (var e in events)
            {
                await runner.RunAsync(ticket, rules[Triggers.ForEvent(e.Type)!].ToList(), e, ct);
            }
        }
        await db.SaveChangesAsync(ct);
        if (!await AdvanceAsync(db, CursorKey, Format(stored), Format(batch[^1].Id), ct))
        {
            // Another node handled this batch first; its changes stand, ours are dropped.
            await transaction.RollbackAsync(ct);
            return batch.Count;
        }
        await transaction.CommitAsync(ct);
        await runner.DeliverWebhooksAsync(webhooks, ct);
        return batch.Count;
    }

    /// <summary>
    /// Fires each time rule on the tickets that have been in its status, untouched, for its hours,
    /// once per stretch of inactivity: a ticket it already fired on since the ticket's last change
    /// (or the customer's last message) is skipped. Returns the number of firings.
    /// </summary>
    internal async Task<int> RunTimePassAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var rules = (await catalog.GetAsync(db, ct))[Triggers.Time].Where(r => r.Time is not null).ToList();
        if (rules.Count == 0) return 0;
        var now = time.GetUtcNow();
        var lease = await db.InstanceSettings.AsNoTracking().Where(s => s.Key == TimePassKey).Select(s => s.Value).FirstOrDefaultAsync(ct);
        if (lease is null)
        {
            db.InstanceSettings.Add(new InstanceSetting { Key = TimePassKey, Value = "" });
            await SaveIgnoringRaceAsync(db, ct);
            lease = "";
        }

        var runner = ActivatorUtilities.CreateInstance<RuleRunner>(scope.ServiceProvider);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var fired = 0;
        foreach (var rule in rules)
        {
            foreach (var id in await DueAsync(db, rule, now, ct))
            {
                var ticket = await runner.LoadTicketAsync(id, ct);
                if (ticket is not null) fired += await runner.RunAsync(ticket, [rule], null, ct);
            }
        }
        await db.SaveChangesAsync(ct);
        if (!await AdvanceAsync(db, TimePassKey, lease, now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + ":" + Guid.NewGuid().ToString("N"), ct))
        {
            await transaction.RollbackAsync(ct);
            return 0;
        }
        await transaction.CommitAsync(ct);
        await runner.DeliverWebhooksAsync(webhooks, ct);
        return fired;
    }

    private Task<List<long>> DueAsync(SwitchboardDb db, CompiledRule rule, DateTimeOffset now, CancellationToken ct)
    {
        var (status, hours, since) = rule.Time!;
        var cutoff = now - TimeSpan.FromHours(hours);
        var ruleId = rule.Id;
        var firings = db.TicketEvents.Where(e => e.Type == RuleRunner.EventType && e.ActorType == ActorType.System && e.ActorId == ruleId);
        var tickets = db.Tickets.Where(t => t.Status == status && t.MergedIntoId == null);
        tickets = since == "lastCustomerMessage"
            ? tickets.Where(t => t.CreatedAt <= cutoff
                && !t.Messages.Any(m => m.Direction == MessageDirection.Inbound && m.CreatedAt > cutoff)
                && !firings.Any(e => e.TicketId == t.Id && !t.Messages.Any(m => m.Direction == MessageDirection.Inbound && m.CreatedAt > e.CreatedAt)))
            : tickets.Where(t => t.UpdatedAt <= cutoff && !firings.Any(e => e.TicketId == t.Id && e.CreatedAt >= t.UpdatedAt));
        return tickets.OrderBy(t => t.UpdatedAt).ThenBy(t => t.Id).Select(t => t.Id).Take(options.Value.BatchSize).ToListAsync(ct);
    }

    /// <summary>The last event handled. A new instance starts at the newest event, so rules never run on history.</summary>
    private static async Task<long> ReadCursorAsync(SwitchboardDb db, CancellationToken ct)
    {
        var value = await db.InstanceSettings.AsNoTracking().Where(s => s.Key == CursorKey).Select(s => s.Value).FirstOrDefaultAsync(ct);
        if (value is not null) return long.Parse(value, CultureInfo.InvariantCulture);
        var newest = await db.TicketEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0;
        db.InstanceSettings.Add(new InstanceSetting { Key = CursorKey, Value = Format(newest) });
        await SaveIgnoringRaceAsync(db, ct);
        return long.Parse(
            await db.InstanceSettings.AsNoTracking().Where(s => s.Key == CursorKey).Select(s => s.Value).FirstAsync(ct),
            CultureInfo.InvariantCulture);
    }

    private static async Task SaveIgnoringRaceAsync(SwitchboardDb db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another node created the row at the same moment; theirs is as good.
        }
        db.ChangeTracker.Clear();
    }

    private static async Task<bool> AdvanceAsync(SwitchboardDb db, string key, string from, string to, CancellationToken ct) =>
        await db.InstanceSettings.Where(s => s.Key == key && s.Value == from).ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, to), ct) == 1;

    /// <summary>Keeps the events before the first gap in the ids, unless that gap has lasted <see cref="GapGrace"/>.</summary>
    private List<TicketEvent> HoldAtGap(long cursor, List<TicketEvent> batch)
    {
        var expected = cursor + 1;
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Id != expected)
            {
                var nowTicks = Environment.TickCount64;
                if (_gap is not { } gap || gap.Id != expected) _gap = (expected, nowTicks);
                if (nowTicks - _gap.Value.SeenAt < GapGrace.TotalMilliseconds) return batch[..i];
            }
            expected = batch[i].Id + 1;
        }
        return batch;
    }

    private static string Format(long id) => id.ToString(CultureInfo.InvariantCulture);
}
