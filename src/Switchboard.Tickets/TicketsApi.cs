using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Search;
using Switchboard.Core.Security;

namespace Switchboard.Tickets;

public sealed record TicketListQuery(
    string? Status, string? Priority, long? DepartmentId, string? AssigneeId, string? Tag, string? Channel, long? CustomerId,
    DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo, DateTimeOffset? UpdatedFrom, DateTimeOffset? UpdatedTo,
    string? Q, string? Sort, string? Cursor, int? Limit);

internal static class TicketsApi
{
    public const int MaxBodyLength = 200_000;

    public static void Map(RouteGroupBuilder api)
    {
        var tickets = api.MapGroup("/tickets").WithTags("Tickets").RequireAuthorization(Policies.Agent);
        tickets.MapPost("/", CreateAsync).WithSummary("Create a ticket with its first message from a customer.");
        tickets.MapGet("/", ListAsync).WithSummary("List tickets with filters, full-text search, sorting and cursor pagination.");
        tickets.MapGet("/{id:long}", GetAsync);
        tickets.MapPatch("/{id:long}", UpdateAsync);
        tickets.MapPost("/bulk", BulkUpdateAsync).WithSummary("Apply the same changes to many tickets.");
        tickets.MapPost("/{id:long}/merge", MergeSplit.MergeAsync).WithSummary("Merge another ticket into this one.");
        tickets.MapPost("/{id:long}/split", MergeSplit.SplitAsync).WithSummary("Move one message of this ticket into a new ticket.");
        tickets.MapGet("/{id:long}/events", EventsAsync).WithSummary("The ticket's history: every change, who made it and when.");
        tickets.MapGet("/{id:long}/messages", MessagesApi.ListAsync);
        tickets.MapPost("/{id:long}/messages", MessagesApi.CreateAsync).WithSummary("Reply to the customer or add an internal note.");
    }

    internal static async Task<Created<TicketDto>> CreateAsync(
        CreateTicketRequest request, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var agent = CurrentAgent.From(http.User)!;
        var now = time.GetUtcNow();
        var subject = Parse.Text(request.Subject, "subject", 500);
        var (text, html) = MessagesApi.ReadBody(request.Message?.Body, request.Message?.Html, "message.body");
        var priority = Parse.OptionalEnum<TicketPriority>(request.Priority, "priority") ?? TicketPriority.Normal;
        var status = Parse.OptionalEnum<TicketStatus>(request.Status, "status") ?? TicketStatus.New;
        var channel = Parse.OptionalEnum<Channel>(request.Channel, "channel") ?? Channel.Api;
        if (request.DepartmentId is { } dept) await TicketChanges.EnsureDepartmentAsync(db, dept, ct);
        if (request.AssigneeId is { } assignee) await TicketChanges.EnsureAssigneeAsync(db, assignee, ct);
        var tagNames = Tags.Normalize(request.Tags);

        var customer = await ResolveCustomerAsync(db, request, now, ct);
        // A new customer is saved first so the first message can name its author; both commit together.
        await using var transaction = customer.Id == 0 ? await db.Database.BeginTransactionAsync(ct) : null;
        if (customer.Id == 0) await db.SaveChangesAsync(ct);
        var ticket = new Ticket
        {
            Subject = subject,
            Status = status,
            Priority = priority,
            Channel = channel,
            Customer = customer,
            DepartmentId = request.DepartmentId,
            AssigneeId = request.AssigneeId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (ticket.DepartmentId is not null && !agent.CanSee(ticket.DepartmentId, ticket.AssigneeId))
        {
            // Creating into a department one cannot see would hide the ticket from its author.
            throw ProblemException.Forbidden("You can create tickets only in your own departments.");
        }
        var tags = await Tags.ResolveAsync(db, tagNames, ct);
        ticket.Tags = tagNames.Select(n => new TicketTag { Tag = tags[n] }).ToList();
        var message = new Message
        {
            Kind = MessageKind.Reply,
            Direction = MessageDirection.Inbound,
            Channel = channel,
            AuthorType = ActorType.Contact,
            AuthorContactId = customer.Id,
            BodyText = text,
            BodyHtml = html,
            CreatedAt = now,
        };
        ticket.Messages.Add(message);
        ticket.MessageCount = 1;
        ticket.LastMessageAt = now;
        await MessagesApi.AttachAsync(db, agent, message, request.Message?.AttachmentIds, ct);
        db.Tickets.Add(ticket);
        SearchIndex.AddSubject(db, ticket);
        SearchIndex.AddMessage(db, ticket, message);
        History.Record(db, ticket, Actor.Of(agent), "created", now);
        await db.SaveChangesAsync(ct);
        if (transaction is not null) await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/v1/tickets/{ticket.Id}", await TicketQueries.OneAsync(db, ticket.Id, ct));
    }

    private static async Task<Contact> ResolveCustomerAsync(SwitchboardDb db, CreateTicketRequest request, DateTimeOffset now, CancellationToken ct)
    {
        if (request.CustomerId is { } id)
        {
            return await db.Contacts.FirstOrDefaultAsync(c => c.Id == id && c.MergedIntoId == null, ct)
                ?? throw ProblemException.Invalid("customerId", $"Contact {id} does not exist.");
        }
        var input = request.Customer;
        if (!string.IsNullOrWhiteSpace(input?.Email))
        {
            return await Contacts.FindOrCreateAsync(db, IdentityType.Email, input.Email, null, input.Name, now, ct);
        }
        if (!string.IsNullOrWhiteSpace(input?.Phone))
        {
            return await Contacts.FindOrCreateAsync(db, IdentityType.Phone, input.Phone, null, input.Name, now, ct);
        }
        throw ProblemException.Invalid("customer", "Say who the customer is: customer.email, customer.phone or customerId.");
    }

    private static async Task<Ok<TicketDto>> GetAsync(long id, HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var agent = CurrentAgent.From(http.User)!;
        var dto = (await TicketQueries.ToDtosAsync(db, db.Tickets.Visible(agent).Where(t => t.Id == id), ct)).SingleOrDefault()
            ?? throw ProblemException.NotFound($"Ticket {id}");
        return TypedResults.Ok(dto);
    }

    internal static async Task<Ok<PageDto<TicketDto>>> ListAsync(
        [AsParameters] TicketListQuery query, HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var agent = CurrentAgent.From(http.User)!;
        var limit = query.Limit ?? 25;
        if (limit is < 1 or > 100) throw ProblemException.Invalid("limit", "limit must be between 1 and 100.");
        var sort = TicketSort.ParseSort(query.Sort);
        var search = SearchQuery.Parse(query.Q);
        var tickets = (search.IsEmpty ? db.Tickets : await SearchIndex.MatchingTicketsAsync(db, search, sort, ct)).Visible(agent);

        var statuses = Parse.EnumList<TicketStatus>(query.Status, "status");
        if (statuses.Length == 1) tickets = tickets.Where(t => t.Status == statuses[0]);
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
            var tag = query.Tag.Trim().ToLowerInvariant();
            tickets = tickets.Where(t => db.TicketTags.Any(x => x.TicketId == t.Id && x.Tag!.Name == tag));
        }
        // In UTC: PostgreSQL's timestamptz parameters refuse any other offset.
        if (query.CreatedFrom?.ToUniversalTime() is { } cf) tickets = tickets.Where(t => t.CreatedAt >= cf);
        if (query.CreatedTo?.ToUniversalTime() is { } ctTo) tickets = tickets.Where(t => t.CreatedAt < ctTo);
        if (query.UpdatedFrom?.ToUniversalTime() is { } uf) tickets = tickets.Where(t => t.UpdatedAt >= uf);
        if (query.UpdatedTo?.ToUniversalTime() is { } ut) tickets = tickets.Where(t => t.UpdatedAt < ut);

        var page = await TicketQueries.ToDtosAsync(db, sort.Apply(tickets, query.Cursor).Take(limit + 1), ct);
        string? next = null;
        if (page.Count > limit)
        {
            page.RemoveAt(page.Count - 1);
            next = sort.CursorAfter(page[^1]);
        }
        return TypedResults.Ok(new PageDto<TicketDto>(page, next));
    }

    private static async Task<Ok<TicketDto>> UpdateAsync(
        long id, UpdateTicketRequest request, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var agent = CurrentAgent.From(http.User)!;
        var changes = await TicketChanges.ValidateAsync(db, request, ct);
        var ticket = await TicketAccess.LoadAsync(db, agent, id, ct, withTags: true);
        await changes.ApplyAsync(db, ticket, Actor.Of(agent), time.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await TicketQueries.OneAsync(db, id, ct));
    }

    private static async Task<Ok<BulkUpdateResult>> BulkUpdateAsync(
        BulkUpdateRequest request, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var agent = CurrentAgent.From(http.User)!;
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
        return TypedResults.Ok(new BulkUpdateResult(tickets.Count, notFound));
    }

    private static async Task<Ok<ItemsDto<TicketEventDto>>> EventsAsync(long id, HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var agent = CurrentAgent.From(http.User)!;
        await TicketAccess.LoadAsync(db, agent, id, ct);
        var items = await db.TicketEvents.AsNoTracking().Where(e => e.TicketId == id).OrderBy(e => e.Id)
            .Select(e => new TicketEventDto(e.Id, e.Type, e.ActorType, e.ActorId, e.ActorName, e.Field, e.OldValue, e.NewValue, e.CreatedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<TicketEventDto>(items));
    }
}
