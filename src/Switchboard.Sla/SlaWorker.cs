using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Tickets;

namespace Switchboard.Sla;

/// <summary>
/// Every second, reads the tickets whose next SLA check has come (an indexed range on
/// <c>sla_next_check_at</c>, never a scan), records each warning and breach once as a ticket event
/// ("sla_warning", "sla_breached") and sets the next check. Safe on several nodes: a ticket's
/// warning or breach is recorded once because the flags are updated with the check.
/// </summary>
internal sealed class SlaWorker(IServiceScopeFactory scopes, IOptions<SlaOptions> options, TimeProvider time, ILogger<SlaWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A delay per pass rather than a periodic timer: after a clock jump (a suspended machine,
        // a test moving time) one pass catches up instead of one per missed tick.
        while (!stoppingToken.IsCancellationRequested)
        {
            var moreToRecompute = false;
            try
            {
                while (await RunPassAsync(stoppingToken) >= options.Value.BatchSize)
                {
                }
                // One batch of a recompute between breach checks, so these stay on time meanwhile.
                moreToRecompute = await RecomputeStepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The SLA check failed; trying again at the next tick.");
            }
            if (moreToRecompute) continue;
            try
            {
                await Task.Delay(options.Value.CheckInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    internal async Task<bool> RecomputeStepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await ActivatorUtilities.CreateInstance<SlaRecompute>(scope.ServiceProvider).StepAsync(ct);
    }

    /// <summary>One pass over what is due now; returns the number of tickets looked at.</summary>
    internal async Task<int> RunPassAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var now = time.GetUtcNow();
        var due = await db.Tickets
            .Where(t => t.SlaNextCheckAt != null && t.SlaNextCheckAt <= now)
            .OrderBy(t => t.SlaNextCheckAt)
            .Take(options.Value.BatchSize)
            .ToListAsync(ct);
        foreach (var ticket in due)
        {
            var (warnings, breaches) = SlaClock.Check(ticket, now);
            foreach (var target in Split(warnings))
            {
                History.Record(db, ticket, Actor.System, "sla_warning", now, "sla", null, Name(target));
            }
            foreach (var target in Split(breaches))
            {
                History.Record(db, ticket, Actor.System, "sla_breached", now, "sla", null, Name(target));
            }
        }
        if (due.Count > 0) await db.SaveChangesAsync(ct);
        return due.Count;
    }

    private static IEnumerable<SlaTargets> Split(SlaTargets targets) =>
        Enum.GetValues<SlaTargets>().Where(t => t != SlaTargets.None && targets.HasFlag(t));

    internal static string Name(SlaTargets target) => target switch
    {
        SlaTargets.FirstResponse => "first_response",
        SlaTargets.NextResponse => "next_response",
        _ => "resolution",
    };
}
