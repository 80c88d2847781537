using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Events;
using Switchboard.Core.Model;
using Switchboard.Tickets;

namespace Switchboard.Sla;

/// <summary>
/// Keeps due times current on every save, whichever module made the change (API, email, bulk
/// updates): a new ticket starts its clocks; a customer message starts the next-response clock;
/// a public agent reply meets the response clocks; pausing statuses stop the clock and leaving
/// them resumes it; resolving stops it; a change of priority, department, channel, customer or
/// tags may select another policy and recomputes the due times.
/// </summary>
internal sealed class SlaInterceptor(SlaCatalog catalog, IOptions<SlaOptions> options, TimeProvider time) : SaveChangesInterceptor
{
    private static readonly string[] PolicyFields =
        [nameof(Ticket.Priority), nameof(Ticket.DepartmentId), nameof(Ticket.Channel), nameof(Ticket.CustomerId)];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is SwitchboardDb db) await ApplyAsync(db, cancellationToken);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is SwitchboardDb db) ApplyAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    private async Task ApplyAsync(SwitchboardDb db, CancellationToken ct)
    {
        // One pass over everything tracked; the look-ups below would otherwise each start another
        // (Entries, Local), and a batch of mail tracks hundreds of rows. SaveChanges detects again
        // after this, so what is set here is saved too. A caller that saves with automatic detection
        // off has detected already and SaveChanges will not: then this skips its pass and detects
        // the tickets it changed one by one.
        using var pause = DetectionPause.DetectOnce(db.ChangeTracker);
        var touched = await ApplyDetectedAsync(db, ct);
        if (!pause.WasAutomatic)
        {
            foreach (var ticket in touched) db.Entry(ticket).DetectChanges();
        }
    }

    /// <summary>Sets the due times; returns the tickets it may have changed.</summary>
    private async Task<List<Ticket>> ApplyDetectedAsync(SwitchboardDb db, CancellationToken ct)
    {
        var work = new Dictionary<Ticket, Change>(ReferenceEqualityComparer.Instance);
        foreach (var entry in db.ChangeTracker.Entries<Ticket>())
        {
            if (entry.State == EntityState.Added) Add(work, entry.Entity, Change.Created);
            else if (entry.State == EntityState.Modified)
            {
                if (PolicyFields.Any(f => entry.Property(f).IsModified)) Add(work, entry.Entity, Change.Policy);
                if (entry.Property(t => t.Status).IsModified) Add(work, entry.Entity, Change.Status);
            }
        }
        foreach (var entry in db.ChangeTracker.Entries<TicketTag>().Where(e => e.State is EntityState.Added or EntityState.Deleted))
        {
            if (await TicketOfAsync(db, entry.Entity.TicketId, null, ct) is { } t && db.Entry(t).State != EntityState.Added) Add(work, t, Change.Policy);
        }
        var messages = db.ChangeTracker.Entries<Message>().Where(e => e.State == EntityState.Added && e.Entity.Kind == MessageKind.Reply).Select(e => e.Entity).ToList();
        // A batch of mail writes its messages as plain rows after the save; it announces them, and they count as added here.
        messages.AddRange(PlainRows.AnnouncedMessages(db).Where(m => m.Kind == MessageKind.Reply));
        if (work.Count == 0 && messages.Count == 0) return [];
        var touched = work.Keys.ToList();

        var snapshot = await catalog.GetAsync(db, ct);
        var now = time.GetUtcNow();
        foreach (var (ticket, change) in work)
        {
            var entry = db.Entry(ticket);
            if (change.HasFlag(Change.Created) || change.HasFlag(Change.Policy))
            {
                var policy = await MatchAsync(db, snapshot, ticket, ct);
                if (change.HasFlag(Change.Created) || policy?.Id != ticket.SlaPolicyId)
                {
                    Start(snapshot, ticket, policy, now);
                    if (!change.HasFlag(Change.Created))
                    {
                        History.Record(db, ticket, Actor.System, "sla_policy_changed", now, "slaPolicy", null, policy?.Name);
                    }
                }
            }
            if (change.HasFlag(Change.Status) || change.HasFlag(Change.Created))
            {
                var before = change.HasFlag(Change.Created) ? (TicketStatus?)null : entry.Property(t => t.Status).OriginalValue;
                ApplyStatus(snapshot, ticket, before, options.Value.PauseStatuses, now);
            }
        }
        foreach (var message in messages)
        {
            var ticket = await TicketOfAsync(db, message.TicketId, message.Ticket, ct);
            if (ticket is null) continue;
            touched.Add(ticket);
            ApplyMessage(snapshot, ticket, message);
        }
        return touched;
    }

    /// <summary>A new reply on <paramref name="ticket"/>: the customer's starts the next-response clock, an agent's meets the response clocks.</summary>
    internal static void ApplyMessage(SlaSnapshot snapshot, Ticket ticket, Message message)
    {
        if (ticket.SlaPolicyId is not { } policyId || ticket.Status is TicketStatus.Resolved or TicketStatus.Closed or TicketStatus.Spam) return;
        var policy = snapshot.Policies.FirstOrDefault(p => p.Policy.Id == policyId).Policy;
        var calendar = policy is null ? snapshot.DefaultCalendar : snapshot.CalendarFor(policy, ticket.DepartmentId);
        if (message.Direction == MessageDirection.Inbound)
        {
            SlaClock.CustomerReplied(ticket, policy, calendar, message.CreatedAt);
        }
        else if (message.Direction == MessageDirection.Outbound && message.AuthorType == ActorType.Agent)
        {
            // Automatic replies (acknowledgements, rules) do not answer the customer's question.
            SlaClock.AgentReplied(ticket, message.CreatedAt);
        }
    }

    internal static void ApplyStatus(SlaSnapshot snapshot, Ticket ticket, TicketStatus? before, IReadOnlyCollection<string> pausing, DateTimeOffset now)
    {
        bool Pauses(TicketStatus? s) => s is { } v && pausing.Contains(v.ToString(), StringComparer.OrdinalIgnoreCase);
        if (ticket.Status is TicketStatus.Resolved or TicketStatus.Closed or TicketStatus.Spam)
        {
            SlaClock.Stop(ticket);
            return;
        }
        var policy = snapshot.Policies.FirstOrDefault(p => p.Policy.Id == ticket.SlaPolicyId).Policy;
        var calendar = policy is null ? snapshot.DefaultCalendar : snapshot.CalendarFor(policy, ticket.DepartmentId);
        if (before is TicketStatus.Resolved or TicketStatus.Closed or TicketStatus.Spam)
        {
            // Reopened: the clocks run again from the policy, as for a ticket that was never stopped.
            SlaClock.Start(ticket, policy, calendar, now);
        }
        if (Pauses(ticket.Status)) SlaClock.Pause(ticket, now);
        else if (ticket.SlaPausedAt is not null) SlaClock.Resume(ticket, calendar, now);
    }

    /// <summary>Starts the ticket's clocks under <paramref name="policy"/> (none: nothing due), on its calendar.</summary>
    internal static void Start(SlaSnapshot snapshot, Ticket ticket, SlaPolicy? policy, DateTimeOffset now) =>
        SlaClock.Start(ticket, policy, policy is null ? snapshot.DefaultCalendar : snapshot.CalendarFor(policy, ticket.DepartmentId), now);

    internal static async Task<SlaPolicy?> MatchAsync(SwitchboardDb db, SlaSnapshot snapshot, Ticket ticket, CancellationToken ct)
    {
        if (snapshot.Policies.Count == 0) return null;
        long? companyId = null;
        if (snapshot.UsesCompany)
        {
            companyId = ticket.Customer?.CompanyId
                ?? await db.Contacts.AsNoTracking().Where(c => c.Id == ticket.CustomerId).Select(c => c.CompanyId).FirstOrDefaultAsync(ct);
        }
        List<string> tags = [];
        if (snapshot.UsesTags)
        {
            // Tag changes go through the ticket's loaded tag list; otherwise read it.
            tags = ticket.Tags.Select(t => t.Tag?.Name).OfType<string>().ToList();
            if (tags.Count == 0 && ticket.Id != 0 && !db.Entry(ticket).Collection(t => t.Tags).IsLoaded)
            {
                tags = await db.TicketTags.AsNoTracking().Where(x => x.TicketId == ticket.Id).Select(x => x.Tag!.Name).ToListAsync(ct);
            }
        }
        return snapshot.Match(ticket, companyId, tags);
    }

    private static async Task<Ticket?> TicketOfAsync(SwitchboardDb db, long ticketId, Ticket? navigation, CancellationToken ct) =>
        navigation ?? db.Tickets.Local.FirstOrDefault(t => t.Id == ticketId) ?? (ticketId == 0 ? null : await db.Tickets.FindAsync([ticketId], ct));

    private static void Add(Dictionary<Ticket, Change> work, Ticket ticket, Change change) =>
        work[ticket] = work.TryGetValue(ticket, out var existing) ? existing | change : change;

    [Flags]
    private enum Change
    {
        None = 0,
        Created = 1,
        Policy = 2,
        Status = 4,
    }
}

/// <summary>The same clocks for tickets and replies written as plain rows (a batch of chat lines or of mail), which no save sees.</summary>
internal sealed class SlaMessageClock(SlaCatalog catalog, IOptions<SlaOptions> options, TimeProvider time) : ITicketMessageClock
{
    public async ValueTask MessagesAddedAsync(SwitchboardDb db, IReadOnlyList<(Ticket Ticket, Message Message)> added, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(added);
        if (!added.Any(a => a.Ticket.SlaPolicyId is not null && a.Message.Kind == MessageKind.Reply)) return;
        var snapshot = await catalog.GetAsync(db, ct);
        foreach (var (ticket, message) in added)
        {
            if (message.Kind == MessageKind.Reply) SlaInterceptor.ApplyMessage(snapshot, ticket, message);
        }
    }

    /// <summary>What the save does for an added ticket: the policy that matches it, its due times, its status's effect.</summary>
    public async ValueTask TicketsOpenedAsync(SwitchboardDb db, IReadOnlyList<Ticket> opened, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(opened);
        if (opened.Count == 0) return;
        var snapshot = await catalog.GetAsync(db, ct);
        var now = time.GetUtcNow();
        foreach (var ticket in opened)
        {
            SlaInterceptor.Start(snapshot, ticket, await SlaInterceptor.MatchAsync(db, snapshot, ticket, ct), now);
            SlaInterceptor.ApplyStatus(snapshot, ticket, null, options.Value.PauseStatuses, now);
        }
    }
}
