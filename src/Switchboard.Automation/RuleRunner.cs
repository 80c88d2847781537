using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Events;
using Switchboard.Core.Model;
using Switchboard.Sla;
using Switchboard.Tickets;

namespace Switchboard.Automation;

/// <summary>A webhook call decided in a pass; it is made after the pass commits, so no transaction waits on a remote server.</summary>
internal sealed record PendingWebhook(long TicketId, CompiledRule Rule, Uri Url, byte[] Body);

/// <summary>
/// Runs rules on one ticket: evaluates each rule's conditions against the ticket as earlier rules
/// left it, applies the actions of those that match through the unit of work, and records every
/// action on the ticket as an "automation" event in words ('Rule "VIP first" set priority to urgent').
/// </summary>
internal sealed class RuleRunner(
    SwitchboardDb db, SlaCatalog sla, IEnumerable<IAgentMessageHook> hooks, IOptions<AutomationOptions> options, TimeProvider time)
{
    public const string EventType = "automation";

    public List<PendingWebhook> Webhooks { get; } = [];

    public Task<Ticket?> LoadTicketAsync(long id, CancellationToken ct) => WithFacts().FirstOrDefaultAsync(t => t.Id == id && t.MergedIntoId == null, ct);

    /// <summary>The tickets of a batch of events in three queries rather than three per ticket.</summary>
    public async Task<Dictionary<long, Ticket>> LoadTicketsAsync(IReadOnlyCollection<long> ids, CancellationToken ct) =>
        await WithFacts().Where(t => ids.Contains(t.Id) && t.MergedIntoId == null).ToDictionaryAsync(t => t.Id, ct);

    private IQueryable<Ticket> WithFacts() => db.Tickets
        .Include(t => t.Tags).ThenInclude(t => t.Tag)
        .Include(t => t.Customer).ThenInclude(c => c!.Identities)
        .AsSplitQuery();

    /// <summary>Runs <paramref name="rules"/> (in order) for <paramref name="trigger"/>, or for the passing of time when it is null; returns how many fired.</summary>
    public async Task<int> RunAsync(Ticket ticket, IReadOnlyList<CompiledRule> rules, TicketEvent? trigger, CancellationToken ct)
    {
        if (rules.Count == 0) return 0;
        var message = rules.Any(r => r.UsesMessage) ? await TriggeringMessageAsync(ticket.Id, trigger, ct) : default;
        var snapshot = await sla.GetAsync(db, ct);
        var now = time.GetUtcNow();
        var fired = 0;
        foreach (var rule in rules)
        {
            if (!ConditionEvaluator.Matches(rule.Conditions, Facts(ticket, message, snapshot, now, trigger))) continue;
            fired++;
            var stop = await ApplyAsync(rule, ticket, trigger, now, ct);
            if (stop || rule.StopProcessing) break;
        }
        return fired;
    }

    /// <summary>Whether the rule would fire on the ticket now, and what it would do; changes nothing.</summary>
    public async Task<(bool Matches, List<string> Actions)> TestAsync(Ticket ticket, CompiledRule rule, CancellationToken ct)
    {
        var message = rule.UsesMessage ? await TriggeringMessageAsync(ticket.Id, null, ct) : default;
        var snapshot = await sla.GetAsync(db, ct);
        var matches = ConditionEvaluator.Matches(rule.Conditions, Facts(ticket, message, snapshot, time.GetUtcNow()));
        return (matches, rule.Actions.Select(Describe).ToList());
    }

    /// <summary>
    /// The ticket as conditions see it. For a change event, the changed field has the value the event
    /// set, so two status changes handled in one batch are each judged by their own new status.
    /// </summary>
    public static TicketFacts Facts(Ticket ticket, (string? Body, string? Channel) message, SlaSnapshot snapshot, DateTimeOffset now, TicketEvent? trigger = null) =>
        new(() => message, () => CalendarOf(snapshot, ticket.DepartmentId).IsWorkingTime(now))
        {
            Status = trigger?.Type == "status_changed" ? trigger.NewValue ?? "" : Lower(ticket.Status),
            Priority = trigger?.Type == "priority_changed" ? trigger.NewValue ?? "" : Lower(ticket.Priority),
            Channel = Lower(ticket.Channel),
            DepartmentId = trigger?.Type == "department_changed" ? ParseId(trigger.NewValue) : ticket.DepartmentId,
            AssigneeId = trigger?.Type == "assignee_changed" ? ParseId(trigger.NewValue) : ticket.AssigneeId,
            Subject = ticket.Subject,
            Tags = ticket.Tags.Select(t => t.Tag?.Name).OfType<string>().ToList(),
            CustomerEmails = ticket.Customer?.Identities.Where(i => i.Type == IdentityType.Email).Select(i => i.Value).ToList() ?? [],
            CustomerName = ticket.Customer?.Name ?? "",
            CompanyId = ticket.Customer?.CompanyId,
        };

    /// <summary>"Within business hours" uses the calendar of the ticket's department, else the default calendar, as SLA targets do.</summary>
    private static Sla.BusinessHours.BusinessCalendar CalendarOf(SlaSnapshot snapshot, long? departmentId) =>
        departmentId is { } d && snapshot.DepartmentCalendars.TryGetValue(d, out var id) && snapshot.Calendars.TryGetValue(id, out var c)
            ? c
            : snapshot.DefaultCalendar;

    /// <summary>The message the event is about: the latest of the matching kind at the event's time; for time rules, the latest message.</summary>
    private async Task<(string? Body, string? Channel)> TriggeringMessageAsync(long ticketId, TicketEvent? trigger, CancellationToken ct)
    {
        var query = db.Messages.AsNoTracking().Where(m => m.TicketId == ticketId);
        if (trigger is not null)
        {
            var at = trigger.CreatedAt;
            query = query.Where(m => m.CreatedAt <= at);
            query = trigger.Type switch
            {
                "created" or "customer_replied" => query.Where(m => m.Direction == MessageDirection.Inbound),
                "replied" => query.Where(m => m.Direction == MessageDirection.Outbound),
                "note_added" => query.Where(m => m.Direction == MessageDirection.Internal),
                _ => query,
            };
        }
        var found = await query.OrderByDescending(m => m.Id).Select(m => new { m.BodyText, m.Channel }).FirstOrDefaultAsync(ct);
        return found is null ? default : (found.BodyText, Lower(found.Channel));
    }

    /// <summary>Applies the rule's actions in order; returns true when a "stop" action ends the run.</summary>
    private async Task<bool> ApplyAsync(CompiledRule rule, Ticket ticket, TicketEvent? trigger, DateTimeOffset now, CancellationToken ct)
    {
        var actor = RuleActor.Of(rule);
        foreach (var action in rule.Actions)
        {
            var sentence = action.Type switch
            {
                "set_status" => SetStatus(ticket, Enum.Parse<TicketStatus>(action.Value!, true), actor, now),
                "set_priority" => SetPriority(ticket, Enum.Parse<TicketPriority>(action.Value!, true), actor, now),
                "set_department" => await SetDepartmentAsync(ticket, ParseId(action.Value), actor, now, ct),
                "set_assignee" => await SetAssigneeAsync(ticket, ParseId(action.Value), actor, now, ct),
                "add_tags" => await AddTagsAsync(ticket, action.Values!, actor, now, ct),
                "remove_tags" => RemoveTags(ticket, action.Values!, actor, now),
                "add_note" => AddNote(ticket, action.Body!, now),
                "send_reply" => await SendReplyAsync(ticket, action.Body!, now, ct),
                "notify_agents" => await NotifyAsync(ticket, action, actor, now, ct),
                "call_webhook" => QueueWebhook(ticket, rule, action, trigger, now),
                _ => "stopped further rules",
            };
            History.Record(db, ticket, actor, EventType, now, action.Type, null, $"{rule.ActorName} {sentence}");
            if (action.Type == "stop") return true;
        }
        return false;
    }

    private string SetStatus(Ticket ticket, TicketStatus status, Actor actor, DateTimeOffset now)
    {
        if (ticket.Status == status) return $"left status at {Lower(status)} (already so)";
        History.Change(db, ticket, actor, now, "status", ticket.Status, status);
        ticket.Status = status;
        // As for agents: resolving stamps the resolution time, reopening clears it.
        if (status is TicketStatus.Resolved or TicketStatus.Closed) ticket.ResolvedAt ??= now;
        else ticket.ResolvedAt = null;
        ticket.UpdatedAt = now;
        return $"set status to {Lower(status)}";
    }

    private string SetPriority(Ticket ticket, TicketPriority priority, Actor actor, DateTimeOffset now)
    {
        if (ticket.Priority == priority) return $"left priority at {Lower(priority)} (already so)";
        History.Change(db, ticket, actor, now, "priority", ticket.Priority, priority);
        ticket.Priority = priority;
        ticket.UpdatedAt = now;
        return $"set priority to {Lower(priority)}";
    }

    private async Task<string> SetDepartmentAsync(Ticket ticket, long? departmentId, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        string? name = null;
        if (departmentId is { } id)
        {
            name = await db.Departments.AsNoTracking().Where(d => d.Id == id).Select(d => d.Name).FirstOrDefaultAsync(ct);
            if (name is null) return $"could not move the ticket: department {id} no longer exists";
        }
        if (ticket.DepartmentId == departmentId) return "left the department as it was (already so)";
        History.Change(db, ticket, actor, now, "department", ticket.DepartmentId, departmentId);
        ticket.DepartmentId = departmentId;
        ticket.UpdatedAt = now;
        return name is null ? "removed the department" : $"moved the ticket to {name}";
    }

    private async Task<string> SetAssigneeAsync(Ticket ticket, long? agentId, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        string? name = null;
        if (agentId is { } id)
        {
            name = await db.Agents.AsNoTracking().Where(a => a.Id == id && a.IsActive).Select(a => a.Name).FirstOrDefaultAsync(ct);
            if (name is null) return $"could not assign the ticket: agent {id} does not exist or is deactivated";
        }
        if (ticket.AssigneeId == agentId) return "left the assignee as it was (already so)";
        History.Change(db, ticket, actor, now, "assignee", ticket.AssigneeId, agentId);
        ticket.AssigneeId = agentId;
        ticket.UpdatedAt = now;
        return name is null ? "unassigned the ticket" : $"assigned the ticket to {name}";
    }

    private async Task<string> AddTagsAsync(Ticket ticket, IReadOnlyList<string> names, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var current = ticket.Tags.Select(t => t.Tag!.Name).ToHashSet(StringComparer.Ordinal);
        var missing = names.Where(n => !current.Contains(n)).ToList();
        if (missing.Count == 0) return $"left tags {string.Join(", ", names)} (already there)";
        var found = await db.Tags.Where(t => missing.Contains(t.Name)).ToDictionaryAsync(t => t.Name, StringComparer.Ordinal, ct);
        foreach (var pending in db.Tags.Local.Where(t => missing.Contains(t.Name))) found.TryAdd(pending.Name, pending);
        foreach (var name in missing)
        {
            if (!found.TryGetValue(name, out var tag))
            {
                tag = new Tag { Name = name };
                db.Tags.Add(tag);
                found[name] = tag;
            }
            ticket.Tags.Add(new TicketTag { TicketId = ticket.Id, Tag = tag });
            History.Record(db, ticket, actor, "tag_added", now, "tags", null, name);
        }
        ticket.UpdatedAt = now;
        return $"added tag{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}";
    }

    private string RemoveTags(Ticket ticket, IReadOnlyList<string> names, Actor actor, DateTimeOffset now)
    {
        var links = ticket.Tags.Where(t => names.Contains(t.Tag!.Name, StringComparer.Ordinal)).ToList();
        if (links.Count == 0) return $"left tags {string.Join(", ", names)} (not there)";
        foreach (var link in links)
        {
            ticket.Tags.Remove(link);
            History.Record(db, ticket, actor, "tag_removed", now, "tags", link.Tag!.Name, null);
        }
        ticket.UpdatedAt = now;
        return $"removed tag{(links.Count > 1 ? "s" : "")} {string.Join(", ", links.Select(l => l.Tag!.Name))}";
    }

    private string AddNote(Ticket ticket, string body, DateTimeOffset now)
    {
        db.Messages.Add(NewMessage(ticket, MessageKind.Note, MessageDirection.Internal, Render(body, ticket), now));
        ticket.MessageCount++;
        ticket.UpdatedAt = now;
        return "added a note";
    }

    /// <summary>
    /// An automatic reply goes out like an agent's (the channel hooks queue its delivery) but is held
    /// back from spam and rate-limited per ticket, so two robots answering each other stop quickly.
    /// </summary>
    private async Task<string> SendReplyAsync(Ticket ticket, string body, DateTimeOffset now, CancellationToken ct)
    {
        if (ticket.Status == TicketStatus.Spam) return "did not send a reply: the ticket is spam";
        var limit = options.Value.AutoRepliesPerTicketPerHour;
        var since = now.AddHours(-1);
        var ticketId = ticket.Id;
        var recent = await db.Messages.AsNoTracking().CountAsync(m => m.TicketId == ticketId && m.AuthorType == ActorType.System
            && m.Direction == MessageDirection.Outbound && m.CreatedAt > since, ct)
            + db.Messages.Local.Count(m => m.Id == 0 && m.Ticket == ticket && m.AuthorType == ActorType.System && m.Direction == MessageDirection.Outbound);
        if (recent >= limit) return $"did not send a reply: this ticket already had {limit} automatic replies in the last hour";
        var message = NewMessage(ticket, MessageKind.Reply, MessageDirection.Outbound, Render(body, ticket), now);
        db.Messages.Add(message);
        ticket.MessageCount++;
        ticket.LastMessageAt = now;
        ticket.UpdatedAt = now;
        // No agent wrote it; channels sign it with the department or mailbox alone.
        foreach (var hook in hooks) await hook.OnAgentMessageAsync(db, ticket, message, 0, ct);
        return message.DeliveryStatus == "failed" ? $"added a reply that could not be sent ({message.DeliveryError})" : "sent a reply";
    }

    private async Task<string> NotifyAsync(Ticket ticket, RuleAction action, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var ids = action.Values!.Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToList();
        var names = await db.Agents.AsNoTracking().Where(a => ids.Contains(a.Id) && a.IsActive).OrderBy(a => a.Name).Select(a => a.Name).ToListAsync(ct);
        if (names.Count == 0) return "notified nobody: none of the agents exists or is active";
        var text = action.Body is null ? null : Render(action.Body, ticket);
        History.Record(db, ticket, actor, "notification", now, "agents", null, string.Join(", ", names) + (text is null ? "" : ": " + text));
        return $"notified {string.Join(", ", names)}";
    }

    private string QueueWebhook(Ticket ticket, CompiledRule rule, RuleAction action, TicketEvent? trigger, DateTimeOffset now)
    {
        var payload = new
        {
            rule = new { id = rule.Id, name = rule.Name },
            @event = trigger is null ? null : new { id = trigger.Id, type = trigger.Type, field = trigger.Field, oldValue = trigger.OldValue, newValue = trigger.NewValue, createdAt = trigger.CreatedAt },
            ticket = new
            {
                id = ticket.Id,
                subject = ticket.Subject,
                status = Lower(ticket.Status),
                priority = Lower(ticket.Priority),
                channel = Lower(ticket.Channel),
                departmentId = ticket.DepartmentId,
                assigneeId = ticket.AssigneeId,
                customerId = ticket.CustomerId,
                tags = ticket.Tags.Select(t => t.Tag?.Name).OfType<string>().Order(StringComparer.Ordinal).ToList(),
                createdAt = ticket.CreatedAt,
                updatedAt = ticket.UpdatedAt,
            },
            sentAt = now,
        };
        Webhooks.Add(new PendingWebhook(ticket.Id, rule, new Uri(action.Url!), JsonSerializer.SerializeToUtf8Bytes(payload, JsonSerializerOptions.Web)));
        return $"is calling webhook {action.Url}";
    }

    /// <summary>Makes the webhook calls of the pass and records each outcome on its ticket.</summary>
    public async Task DeliverWebhooksAsync(WebhookSender sender, CancellationToken ct)
    {
        if (Webhooks.Count == 0) return;
        db.ChangeTracker.Clear();
        foreach (var call in Webhooks)
        {
            var result = call.Rule.WebhookSecret is { } secret
                ? await sender.SendAsync(call.Url, secret, call.Body, ct)
                : new WebhookResult(false, "refused: the rule has no signing secret");
            var ticket = await db.Tickets.FindAsync([call.TicketId], ct);
            if (ticket is null) continue;
            History.Record(db, ticket, RuleActor.Of(call.Rule), "webhook", time.GetUtcNow(), call.Url.AbsoluteUri,
                null, $"{call.Rule.ActorName} webhook {call.Url.AbsoluteUri}: {result.Outcome}");
        }
        Webhooks.Clear();
        await db.SaveChangesAsync(ct);
    }

    public static string Describe(RuleAction action) => action.Type switch
    {
        "set_status" => $"set status to {action.Value}",
        "set_priority" => $"set priority to {action.Value}",
        "set_department" => action.Value is null ? "remove the department" : $"move the ticket to department {action.Value}",
        "set_assignee" => action.Value is null ? "unassign the ticket" : $"assign the ticket to agent {action.Value}",
        "add_tags" => $"add tags {string.Join(", ", action.Values!)}",
        "remove_tags" => $"remove tags {string.Join(", ", action.Values!)}",
        "add_note" => "add a note",
        "send_reply" => "send a reply",
        "notify_agents" => $"notify agents {string.Join(", ", action.Values!)}",
        "call_webhook" => $"call webhook {action.Url}",
        _ => "stop further rules",
    };

    private static Message NewMessage(Ticket ticket, MessageKind kind, MessageDirection direction, string body, DateTimeOffset now) => new()
    {
        Ticket = ticket,
        TicketId = ticket.Id,
        Kind = kind,
        Direction = direction,
        Channel = ticket.Channel,
        AuthorType = ActorType.System,
        BodyText = body,
        CreatedAt = now,
    };

    private static string Render(string template, Ticket ticket) => Templates.Render(template, new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["customer.name"] = ticket.Customer?.Name ?? "",
        ["ticket.number"] = ticket.Id.ToString(CultureInfo.InvariantCulture),
        ["ticket.subject"] = ticket.Subject,
    });

    private static long? ParseId(string? value) => value is null ? null : long.Parse(value, CultureInfo.InvariantCulture);

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
