using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Events;
using Switchboard.Core.Model;
using Switchboard.Tickets;

namespace Switchboard.Chat;

/// <summary>
/// Offers waiting chats to agents, one agent at a time: among the department's online agents with
/// an open agent connection and chat capacity left, in turn (round-robin) or to whoever has fewest
/// live chats (least-busy). An offer rings until the widget's ring timeout, then moves to the next
/// agent; a chat nobody took within the widget's longest queue wait is missed, and the visitor gets
/// the offline form. One pass at a time, so two passes never offer the same chat.
/// </summary>
internal sealed class ChatRouter(IServiceScopeFactory scopes, ChatNotifier notify, ChatPresence presence, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<long, int> _positions = [];

    public void Dispose() => _gate.Dispose();

    public async Task PassAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
            await PassAsync(db, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed class Candidate
    {
        public long Id { get; init; }
        public required string Name { get; init; }
        public required HashSet<long> Departments { get; init; }
        public int? Capacity { get; init; }
        public int Live { get; set; }
        public bool HasRoom => Capacity is not { } max || Live < max;
    }

    private async Task PassAsync(SwitchboardDb db, CancellationToken ct)
    {
        var waiting = await db.ChatConversations.Where(c => c.Status == ChatStatus.Queued || c.Status == ChatStatus.Ringing)
            .OrderBy(c => c.QueuedAt).ThenBy(c => c.Id).Take(1000).ToListAsync(ct);
        if (waiting.Count == 0)
        {
            _positions.Clear();
            return;
        }
        var widgetIds = waiting.Select(c => c.WidgetId).Distinct().ToList();
        var widgets = await db.ChatWidgets.Where(w => widgetIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
        var connected = presence.Agents.ToList();
        var agents = await db.Agents.AsNoTracking()
            .Where(a => connected.Contains(a.Id) && a.IsActive && a.Availability == AgentAvailability.Online)
            .Select(a => new
            {
                a.Id,
                a.Name,
                Departments = a.Departments.Select(d => d.DepartmentId).ToList(),
                Capacity = a.Capacities.Where(c => c.Channel == Channel.Chat).Select(c => (int?)c.MaxOpen).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var ids = agents.Select(a => a.Id).ToList();
        var live = await db.ChatConversations.Where(c => (c.Status == ChatStatus.Active && ids.Contains(c.AgentId!.Value)) || (c.Status == ChatStatus.Ringing && ids.Contains(c.RingingAgentId!.Value)))
            .GroupBy(c => c.Status == ChatStatus.Active ? c.AgentId : c.RingingAgentId).Select(g => new { Agent = g.Key, Count = g.Count() }).ToListAsync(ct);
        var candidates = agents.Select(a => new Candidate
        {
            Id = a.Id,
            Name = a.Name,
            Departments = [.. a.Departments],
            Capacity = a.Capacity,
            Live = live.FirstOrDefault(l => l.Agent == a.Id)?.Count ?? 0,
        }).OrderBy(a => a.Id).ToList();

        var now = time.GetUtcNow();
        // One transaction per pass (one commit to disk however many chats move); people hear of it after the commit.
        var after = new List<Func<Task>>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var c in waiting)
        {
            var widget = widgets[c.WidgetId];
            if (c.Status == ChatStatus.Ringing)
            {
                var agent = c.RingingAgentId!.Value;
                if (c.RingingSince + TimeSpan.FromSeconds(widget.RingTimeoutSeconds) > now && presence.IsConnected(agent)) continue;
                // Rang out (or the agent went away): the next agent's turn.
                var passed = ChatLifecycle.WithPassed(c, agent);
                var n = await db.ChatConversations.Where(x => x.Id == c.Id && x.Status == ChatStatus.Ringing && x.RingingAgentId == agent)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, ChatStatus.Queued).SetProperty(x => x.RingingAgentId, (long?)null)
                        .SetProperty(x => x.PassedAgentIds, passed), ct);
                if (n == 0) continue;
                c.Status = ChatStatus.Queued;
                c.RingingAgentId = null;
                c.PassedAgentIds = passed;
                if (candidates.FirstOrDefault(a => a.Id == agent) is { } rang) rang.Live--;
                var withdrawn = c.Id;
                after.Add(() => notify.Agent(agent).OfferWithdrawn(withdrawn));
            }

            if (c.QueuedAt + TimeSpan.FromSeconds(widget.MaxQueueWaitSeconds) <= now)
            {
                if (await MissAsync(db, c, now, ct) is { } missed) after.Add(missed);
                continue;
            }

            var skip = ChatLifecycle.Passed(c);
            var eligible = candidates.Where(a => a.HasRoom && !skip.Contains(a.Id) && (c.DepartmentId is not { } d || a.Departments.Contains(d))).ToList();
            if (eligible.Count == 0) continue;
            var chosen = widget.RoutingMode == ChatRoutingMode.LeastBusy
                ? eligible.OrderBy(a => a.Live).ThenBy(a => a.Id).First()
                : eligible.FirstOrDefault(a => a.Id > (widget.LastOfferedAgentId ?? 0)) ?? eligible[0];
            var offered = await db.ChatConversations.Where(x => x.Id == c.Id && x.Status == ChatStatus.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, ChatStatus.Ringing).SetProperty(x => x.RingingAgentId, chosen.Id)
                    .SetProperty(x => x.RingingSince, now), ct);
            if (offered == 0) continue;
            c.Status = ChatStatus.Ringing;
            c.RingingAgentId = chosen.Id;
            c.RingingSince = now;
            chosen.Live++;
            widget.LastOfferedAgentId = chosen.Id;
            var first = await db.ChatLines.AsNoTracking().Where(l => l.ConversationId == c.Id).OrderBy(l => l.Id).Select(l => l.Text).FirstOrDefaultAsync(ct);
            var offer = new ChatOfferDto(ChatText.Summary(c), first, now + TimeSpan.FromSeconds(widget.RingTimeoutSeconds));
            var to = chosen.Id;
            after.Add(() => notify.Agent(to).Offered(offer));
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        foreach (var tell in after) await tell();
        await AnnouncePositionsAsync(waiting);
    }

    private async Task<Func<Task>?> MissAsync(SwitchboardDb db, ChatConversation c, DateTimeOffset now, CancellationToken ct)
    {
        var n = await db.ChatConversations.Where(x => x.Id == c.Id && x.Status == ChatStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, ChatStatus.Missed).SetProperty(x => x.EndedAt, now), ct);
        if (n == 0) return null;
        c.Status = ChatStatus.Missed;
        c.EndedAt = now;
        var ticket = await db.Tickets.FirstAsync(t => t.Id == c.TicketId, ct);
        History.Record(db, ticket, Actor.System, "chat_missed", now);
        var state = new VisitorState(c.Id, "missed", null, null, null, c.LastReadByAgent, ticket.Rating != SatisfactionRating.None);
        return () => notify.Visitor(c.Id).State(state);
    }

    /// <summary>Each waiting visitor hears their place in their department's line when it changes.</summary>
    private async Task AnnouncePositionsAsync(List<ChatConversation> waiting)
    {
        var seen = new HashSet<long>();
        foreach (var group in waiting.Where(c => c.Status is ChatStatus.Queued or ChatStatus.Ringing).GroupBy(c => c.DepartmentId))
        {
            var position = 0;
            foreach (var c in group)
            {
                position++;
                seen.Add(c.Id);
                var shown = c.Status == ChatStatus.Ringing ? -position : position;
                if (_positions.TryGetValue(c.Id, out var last) && last == shown) continue;
                _positions[c.Id] = shown;
                await notify.Visitor(c.Id).State(new VisitorState(c.Id, ChatText.Status(c.Status), position, null, null, c.LastReadByAgent, false));
            }
        }
        foreach (var gone in _positions.Keys.Where(k => !seen.Contains(k)).ToList()) _positions.Remove(gone);
    }
}

/// <summary>Runs the router when poked (a new chat, a decline, an agent online) and at least every <see cref="ChatOptions.RoutingInterval"/>.</summary>
internal sealed class ChatRoutingWorker(ChatRouter router, ChatSignal signal, AgentPresence availability, IOptions<ChatOptions> options, ILogger<ChatRoutingWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        void OnChange(long agentId, AgentAvailability _) => signal.Poke();
        availability.Changed += OnChange;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await signal.WaitAsync(options.Value.RoutingInterval, stoppingToken);
                try
                {
                    await router.PassAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed pass (database briefly away) is retried on the next one; chats stay queued meanwhile.
                    logger.LogError(e, "Chat routing pass failed.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            availability.Changed -= OnChange;
        }
    }
}
