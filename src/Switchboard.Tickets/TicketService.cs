using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Events;
using Switchboard.Core.Model;
using Switchboard.Core.Search;
using Switchboard.Core.Security;

namespace Switchboard.Tickets;

/// <summary>The customer beside a conversation: who they are, their company, and their tickets on every channel.</summary>
public sealed record CustomerCardDto(ContactDto Contact, IReadOnlyList<TicketDto> RecentTickets, int TicketCount);

/// <summary>
/// What an agent can do with tickets, for every interface: the REST API's handlers and the
/// workspace call the same methods, so filters, cursors, access rules and history are one
/// implementation. Each method checks that the agent may see the ticket it touches.
/// </summary>
public sealed class TicketService(
    SwitchboardDb db, TimeProvider time, IEnumerable<IAgentMessageHook> hooks, IEnumerable<IReplyChannel> replyChannels,
    IAttachmentStore files)
{
    /// <summary>Counts stop here; a view showing "1000+" is as useful as an exact count and costs a bounded read.</summary>
    public const int CountLimit = 1000;

    public async Task<PageDto<TicketDto>> ListAsync(CurrentAgent agent, TicketListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(query);
        var limit = query.Limit ?? 25;
        if (limit is < 1 or > 100) throw ProblemException.Invalid("limit", "limit must be between 1 and 100.");
        var sort = TicketSort.ParseSort(query.Sort);
        var statuses = Parse.EnumList<TicketStatus>(query.Status, "status").Distinct().ToArray();
        IQueryable<TicketRow> rows;
        if (statuses.Length > 1 && SearchQuery.Parse(query.Q).IsEmpty)
        {
            // One ordered branch per status, merged: each reads its (status, sort key) index in order
            // and stops at the page size, where a list of statuses would make the database sort every
            // ticket in them (all open tickets) to show the first page.
            var filtered = await FilterAsync(agent, query, sort, ct, filterStatus: false);
            IQueryable<TicketRow>? merged = null;
            foreach (var status in statuses)
            {
                var branch = sort.Apply(filtered.Where(t => t.Status == status).Rows(db), query.Cursor).Take(limit + 1);
                merged = merged is null ? branch : merged.Concat(branch);
            }
            rows = sort.Apply(merged!, null).Take(limit + 1);
        }
        else
        {
            rows = sort.Apply((await FilterAsync(agent, query, sort, ct)).Rows(db), query.Cursor).Take(limit + 1);
        }
        var page = await TicketQueries.ToDtosAsync(db, rows, ct);
        string? next = null;
        if (page.Count > limit)
        {
            page.RemoveAt(page.Count - 1);
            next = sort.CursorAfter(page[^1]);
        }
        return new PageDto<TicketDto>(page, next);
    }

    /// <summary>How many tickets the agent would see with these filters, up to <see cref="CountLimit"/>.</summary>
    public async Task<int> CountAsync(CurrentAgent agent, TicketListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(query);
        var tickets = await FilterAsync(agent, query, TicketSort.Default, ct);
        return await tickets.Take(CountLimit).CountAsync(ct);
    }

    /// <summary>The tickets the filters select; without <paramref name="filterStatus"/> the caller filters by status itself.</summary>
    private async Task<IQueryable<Ticket>> FilterAsync(CurrentAgent agent, TicketListQuery query, TicketSort sort, CancellationToken ct, bool filterStatus = true)
    {
        var search = SearchQuery.Parse(query.Q);
        var tickets = (search.IsEmpty ? db.Tickets : await SearchIndex.MatchingTicketsAsync(db, search, sort, ct)).Visible(agent);

        var statuses = filterStatus ? Parse.EnumList<TicketStatus>(query.Status, "status") : [];
        if (statuses is [var only]) tickets = tickets.Where(t => t.Status == only);
        else if (statuses.Length > 1) tickets = tickets.Where(t => statuses.Contains(t.Status));
        var priorities = Parse.EnumList<TicketPriority>(query.Priority, "priority");
        if (priorities.Length > 0) tickets = tickets.Where(t => priorities.Contains(t.Priority));
        var channels = Parse.EnumList<Channel>(query.Channel, "channel");
        if (channels.Length > 0) tickets = tickets.Where(t => channels.Contains(t.Channel));
        if (query.DepartmentId is { } dept) tickets = tickets.Where(t => t.DepartmentId == dept);
        if (query.CustomerId is { } customer) tickets = tickets.Where(t => t.CustomerId == customer);
        tickets = query.AssigneeId?.Trim().ToLowerInvariant() switch
        {
            null or "" => tickets,
            "none" => tickets.Where(t => t.AssigneeId == null),
            "me" => tickets.Where(t => t.AssigneeId == agent.Id),
            var value when long.TryParse(value, out var assignee) => tickets.Where(t => t.AssigneeId == assignee),
            var value => throw ProblemException.Invalid("assigneeId", $"'{value}' is not an agent id; use a number, 'me' or 'none'."),
        };
        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            // The tag's id first: with it, the database can tell a rare tag (find its tickets, then
            // order them) from a common one (walk the queue in order and check each).
            var tag = query.Tag.Trim().ToLowerInvariant();
            var tagId = await db.Tags.AsNoTracking().Where(x => x.Name == tag).Select(x => (long?)x.Id).FirstOrDefaultAsync(ct);
            tickets = tagId is { } id ? tickets.Where(t => db.TicketTags.Any(x => x.TicketId == t.Id && x.TagId == id)) : tickets.Where(t => false);
        }
        // In UTC: PostgreSQL's timestamptz parameters refuse any other offset.
        if (query.CreatedFrom?.ToUniversalTime() is { } cf) tickets = tickets.Where(t => t.CreatedAt >= cf);
        if (query.CreatedTo?.ToUniversalTime() is { } ctTo) tickets = tickets.Where(t => t.CreatedAt < ctTo);
        if (query.UpdatedFrom?.ToUniversalTime() is { } uf) tickets = tickets.Where(t => t.UpdatedAt >= uf);
        if (query.UpdatedTo?.ToUniversalTime() is { } ut) tickets = tickets.Where(t => t.UpdatedAt < ut);
        return tickets;
    }

    public async Task<TicketDto> GetAsync(CurrentAgent agent, long id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return (await TicketQueries.ToDtosAsync(db, db.Tickets.Visible(agent).Where(t => t.Id == id).Rows(db), ct)).SingleOrDefault()
            ?? throw ProblemException.NotFound($"Ticket {id}");
    }

    public async Task<TicketDto> UpdateAsync(CurrentAgent agent, long id, UpdateTicketRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(request);
        var changes = await TicketChanges.ValidateAsync(db, request, ct);
        var ticket = await TicketAccess.LoadAsync(db, agent, id, ct, withTags: true);
        await changes.ApplyAsync(db, ticket, Actor.Of(agent), time.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        return await TicketQueries.OneAsync(db, id, ct);
    }

    public async Task<BulkUpdateResult> BulkUpdateAsync(CurrentAgent agent, BulkUpdateRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(request);
        var ids = request.Ids?.Distinct().ToArray() ?? [];
        if (ids.Length is 0 or > 500) throw ProblemException.Invalid("ids", "Give between 1 and 500 ticket ids.");
        if (request.Changes is null) throw ProblemException.Invalid("changes", "Say what to change in 'changes'.");
        var changes = await TicketChanges.ValidateAsync(db, request.Changes, ct);
        var tickets = await db.Tickets.Visible(agent).Include(t => t.Tags).ThenInclude(t => t.Tag)
            .Where(t => ids.Contains(t.Id)).ToListAsync(ct);
        var now = time.GetUtcNow();
        var actor = Actor.Of(agent);
        foreach (var ticket in tickets) await changes.ApplyAsync(db, ticket, actor, now, ct);
        await db.SaveChangesAsync(ct);
        var notFound = ids.Except(tickets.Select(t => t.Id)).Order().ToList();
        return new BulkUpdateResult(tickets.Count, notFound);
    }

    public Task<TicketDto> MergeAsync(CurrentAgent agent, long id, MergeTicketRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(request);
        return MergeSplit.MergeAsync(db, time, agent, id, request, ct);
    }

    public Task<TicketDto> SplitAsync(CurrentAgent agent, long id, SplitTicketRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(request);
        return MergeSplit.SplitAsync(db, time, agent, id, request, ct);
    }

    public async Task<IReadOnlyList<TicketEventDto>> EventsAsync(CurrentAgent agent, long id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        await TicketAccess.LoadAsync(db, agent, id, ct);
        return await db.TicketEvents.AsNoTracking().Where(e => e.TicketId == id).OrderBy(e => e.Id)
            .Select(e => new TicketEventDto(e.Id, e.Type, e.ActorType, e.ActorId, e.ActorName, e.Field, e.OldValue, e.NewValue, e.CreatedAt))
            .ToListAsync(ct);
    }

    public async Task<IReadOnlyList<MessageDto>> MessagesAsync(CurrentAgent agent, long id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        await TicketAccess.EnsureVisibleAsync(db, agent, id, ct);
        var messages = await db.Messages.AsNoTracking().Include(m => m.Attachments)
            .Where(m => m.TicketId == id).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .ToListAsync(ct);
        return messages.Select(MessagesApi.ToDto).ToList();
    }

    /// <summary>The channels a reply to this ticket's customer can go out on, and the one it goes on unless the agent picks another.</summary>
    public async Task<ReplyOptionsDto> ReplyOptionsAsync(CurrentAgent agent, long id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var ticket = await TicketAccess.LoadAsync(db, agent, id, ct);
        return await ReplyChannels.OptionsAsync(db, ticket, replyChannels, ct);
    }

    /// <summary>
    /// A reply to the customer or an internal note. A reply goes out on the channel the customer last
    /// used, or on <see cref="CreateMessageRequest.Channel"/> when that one reaches them.
    /// </summary>
    public async Task<MessageDto> AddMessageAsync(CurrentAgent agent, long id, CreateMessageRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(request);
        var kind = Parse.OptionalEnum<MessageKind>(request.Kind, "kind") ?? MessageKind.Reply;
        var (text, html) = MessagesApi.ReadBody(request.Body, request.Html, "body");
        var ticket = await TicketAccess.LoadAsync(db, agent, id, ct);
        if (ticket.MergedIntoId is { } mergedInto)
        {
            throw ProblemException.Conflict($"Ticket {id} was merged into ticket {mergedInto}; reply there.");
        }
        var channel = kind == MessageKind.Reply
            ? await ReplyChannels.ChooseAsync(db, ticket, replyChannels, request.Channel, ct)
            : ticket.Channel;
        var now = time.GetUtcNow();
        var actor = Actor.Of(agent);
        var message = new Message
        {
            TicketId = ticket.Id,
            Kind = kind,
            Direction = kind == MessageKind.Note ? MessageDirection.Internal : MessageDirection.Outbound,
            Channel = channel,
            AuthorType = ActorType.Agent,
            AuthorAgentId = agent.Id,
            BodyText = text,
            BodyHtml = html,
            CreatedAt = now,
        };
        await MessagesApi.AttachAsync(db, agent, message, request.AttachmentIds, ct);
        db.Messages.Add(message);
        SearchIndex.AddMessage(db, ticket, message);
        ticket.MessageCount++;
        ticket.UpdatedAt = now;
        if (kind == MessageKind.Reply)
        {
            ticket.LastMessageAt = now;
            ticket.FirstResponseAt ??= now;
            // A reply answers the customer; the ticket waits on them now.
            if (ticket.Status is TicketStatus.New or TicketStatus.Open)
            {
                TicketChanges.SetStatus(db, ticket, TicketStatus.Answered, actor, now);
            }
            History.Record(db, ticket, actor, "replied", now);
        }
        else
        {
            History.Record(db, ticket, actor, "note_added", now);
        }
        // Channels queue the delivery in this same transaction.
        foreach (var hook in hooks) await hook.OnAgentMessageAsync(db, ticket, message, agent.Id, ct);
        await db.SaveChangesAsync(ct);
        return MessagesApi.ToDto(message);
    }

    /// <summary>Keeps a file the agent is about to send with a reply or note (as <c>POST /api/v1/attachments</c> does).</summary>
    public Task<AttachmentDto> UploadAsync(CurrentAgent agent, string? fileName, string? contentType, Stream content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(content);
        return AttachmentsApi.StoreAsync(db, files, time, agent, fileName, contentType, content, ct);
    }

    /// <summary>Drops one of the agent's uploads that no message carries yet (removed from a draft before sending).</summary>
    public async Task DiscardUploadAsync(CurrentAgent agent, long attachmentId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var deleted = await db.Attachments
            .Where(a => a.Id == attachmentId && a.MessageId == null && a.UploadedByAgentId == agent.Id)
            .ExecuteDeleteAsync(ct);
        if (deleted == 0) throw ProblemException.NotFound($"Attachment {attachmentId}");
    }

    /// <summary>The customer of a ticket the agent can see, with their latest tickets on every channel (only those the agent can see).</summary>
    public async Task<CustomerCardDto> CustomerAsync(CurrentAgent agent, long ticketId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var ticket = await TicketAccess.LoadAsync(db, agent, ticketId, ct);
        var contact = await db.Contacts.AsNoTracking().Include(c => c.Identities).Include(c => c.Company)
            .FirstAsync(c => c.Id == ticket.CustomerId, ct);
        var theirs = db.Tickets.Visible(agent).Where(t => t.CustomerId == ticket.CustomerId);
        var recent = await TicketQueries.ToDtosAsync(db, theirs.Rows(db).OrderByDescending(t => t.UpdatedAt).ThenByDescending(t => t.Id).Take(10), ct);
        var count = await theirs.CountAsync(ct);
        return new CustomerCardDto(Contacts.ToDto(contact), recent, count);
    }

    /// <summary>Tag names in use, most used first, for pickers.</summary>
    public async Task<IReadOnlyList<string>> TagNamesAsync(CancellationToken ct) =>
        await db.Tags.AsNoTracking().OrderBy(t => t.Name).Select(t => t.Name).Take(500).ToListAsync(ct);
}
