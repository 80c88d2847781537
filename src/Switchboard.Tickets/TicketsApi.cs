using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
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
        tickets.MapPost("/{id:long}/merge", MergeAsync).WithSummary("Merge another ticket into this one.");
        tickets.MapPost("/{id:long}/split", SplitAsync).WithSummary("Move one message of this ticket into a new ticket.");
        tickets.MapGet("/{id:long}/events", EventsAsync).WithSummary("The ticket's history: every change, who made it and when.");
        tickets.MapGet("/{id:long}/messages", MessagesAsync);
        tickets.MapPost("/{id:long}/messages", AddMessageAsync)
            .WithSummary("Reply to the customer (on the channel they last used, or 'channel': email, chat, portal) or add an internal note.");
        tickets.MapGet("/{id:long}/reply-channels", ReplyChannelsAsync)
            .WithSummary("The channels a reply can go out on, whether each reaches the customer now, and the default.");
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

    private static CurrentAgent Me(HttpContext http) => CurrentAgent.From(http.User)!;

    private static async Task<Ok<TicketDto>> GetAsync(long id, HttpContext http, TicketService tickets, CancellationToken ct) =>
        TypedResults.Ok(await tickets.GetAsync(Me(http), id, ct));

    private static async Task<Ok<PageDto<TicketDto>>> ListAsync(
        [AsParameters] TicketListQuery query, HttpContext http, TicketService tickets, CancellationToken ct) =>
        TypedResults.Ok(await tickets.ListAsync(Me(http), query, ct));

    private static async Task<Ok<TicketDto>> UpdateAsync(
        long id, UpdateTicketRequest request, HttpContext http, TicketService tickets, CancellationToken ct) =>
        TypedResults.Ok(await tickets.UpdateAsync(Me(http), id, request, ct));

    private static async Task<Ok<BulkUpdateResult>> BulkUpdateAsync(
        BulkUpdateRequest request, HttpContext http, TicketService tickets, CancellationToken ct) =>
        TypedResults.Ok(await tickets.BulkUpdateAsync(Me(http), request, ct));

    private static async Task<Ok<TicketDto>> MergeAsync(
        long id, MergeTicketRequest request, HttpContext http, TicketService tickets, CancellationToken ct) =>
        TypedResults.Ok(await tickets.MergeAsync(Me(http), id, request, ct));

    private static async Task<Created<TicketDto>> SplitAsync(
        long id, SplitTicketRequest request, HttpContext http, TicketService tickets, CancellationToken ct)
    {
        var created = await tickets.SplitAsync(Me(http), id, request, ct);
        return TypedResults.Created($"/api/v1/tickets/{created.Id}", created);
    }

    private static async Task<Ok<ItemsDto<TicketEventDto>>> EventsAsync(long id, HttpContext http, TicketService tickets, CancellationToken ct) =>
        TypedResults.Ok(new ItemsDto<TicketEventDto>(await tickets.EventsAsync(Me(http), id, ct)));

    /// <summary>With <c>remoteImages=show</c> the remote images of email HTML are put back (they are not loaded by default, for privacy).</summary>
    private static async Task<Ok<ItemsDto<MessageDto>>> MessagesAsync(long id, string? remoteImages, HttpContext http, TicketService tickets, CancellationToken ct)
    {
        var show = remoteImages switch
        {
            null or "" or "hide" => false,
            "show" => true,
            _ => throw ProblemException.Invalid("remoteImages", "remoteImages must be 'show' or 'hide'."),
        };
        var messages = await tickets.MessagesAsync(Me(http), id, ct);
        return TypedResults.Ok(new ItemsDto<MessageDto>(show
            ? messages.Select(m => m.BodyHtml is null ? m : m with { BodyHtml = HtmlContent.WithRemoteImages(m.BodyHtml) }).ToList()
            : messages));
    }

    private static async Task<Ok<ReplyOptionsDto>> ReplyChannelsAsync(long id, HttpContext http, TicketService tickets, CancellationToken ct) =>
        TypedResults.Ok(await tickets.ReplyOptionsAsync(Me(http), id, ct));

    private static async Task<Created<MessageDto>> AddMessageAsync(
        long id, CreateMessageRequest request, HttpContext http, TicketService tickets, CancellationToken ct)
    {
        var message = await tickets.AddMessageAsync(Me(http), id, request, ct);
        return TypedResults.Created($"/api/v1/tickets/{id}/messages/{message.Id}", message);
    }
}
