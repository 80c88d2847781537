using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Events;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Tickets;

internal static class MessagesApi
{
    public static async Task<Ok<ItemsDto<MessageDto>>> ListAsync(long id, HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var agent = CurrentAgent.From(http.User)!;
        await TicketAccess.LoadAsync(db, agent, id, ct);
        var messages = await db.Messages.AsNoTracking().Include(m => m.Attachments)
            .Where(m => m.TicketId == id).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<MessageDto>(messages.Select(ToDto).ToList()));
    }

    public static async Task<Created<MessageDto>> CreateAsync(
        long id, CreateMessageRequest request, HttpContext http, SwitchboardDb db, TimeProvider time,
        [FromServices] IEnumerable<IAgentMessageHook> hooks, CancellationToken ct)
    {
        var agent = CurrentAgent.From(http.User)!;
        var kind = Parse.OptionalEnum<MessageKind>(request.Kind, "kind") ?? MessageKind.Reply;
        var (text, html) = ReadBody(request.Body, request.Html, "body");
        var ticket = await TicketAccess.LoadAsync(db, agent, id, ct);
        if (ticket.MergedIntoId is { } mergedInto)
        {
            throw ProblemException.Conflict($"Ticket {id} was merged into ticket {mergedInto}; reply there.");
        }
        var now = time.GetUtcNow();
        var actor = Actor.Of(agent);
        var message = new Message
        {
            TicketId = ticket.Id,
            Kind = kind,
            Direction = kind == MessageKind.Note ? MessageDirection.Internal : MessageDirection.Outbound,
            Channel = ticket.Channel,
            AuthorType = ActorType.Agent,
            AuthorAgentId = agent.Id,
            BodyText = text,
            BodyHtml = html,
            CreatedAt = now,
        };
        await AttachAsync(db, agent, message, request.AttachmentIds, ct);
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
        return TypedResults.Created($"/api/v1/tickets/{id}/messages/{message.Id}", ToDto(message));
    }

    /// <summary>Plain text is required unless HTML is given; HTML is sanitized and its text kept for search.</summary>
    public static (string Text, string? Html) ReadBody(string? body, string? html, string field)
    {
        string? cleanHtml = null;
        if (!string.IsNullOrWhiteSpace(html))
        {
            if (html.Length > TicketsApi.MaxBodyLength) throw ProblemException.Invalid("html", "The HTML body is larger than 200,000 characters.");
            cleanHtml = HtmlContent.Sanitize(html);
        }
        var text = string.IsNullOrWhiteSpace(body) ? (cleanHtml is null ? "" : HtmlContent.ToText(cleanHtml)) : body.Trim();
        if (text.Length == 0 && cleanHtml is null) throw ProblemException.Invalid(field, "The message must not be empty.");
        if (text.Length > TicketsApi.MaxBodyLength) throw ProblemException.Invalid(field, "The message is longer than 200,000 characters.");
        return (text, cleanHtml);
    }

    /// <summary>Only files the agent uploaded and that no message carries yet can be attached.</summary>
    public static async Task AttachAsync(SwitchboardDb db, CurrentAgent agent, Message message, long[]? attachmentIds, CancellationToken ct)
    {
        if (attachmentIds is null || attachmentIds.Length == 0) return;
        var ids = attachmentIds.Distinct().ToArray();
        if (ids.Length > 50) throw ProblemException.Invalid("attachmentIds", "A message can carry at most 50 attachments.");
        var files = await db.Attachments.Where(a => ids.Contains(a.Id) && a.MessageId == null && a.UploadedByAgentId == agent.Id).ToListAsync(ct);
        var missing = ids.Except(files.Select(f => f.Id)).ToArray();
        if (missing.Length > 0)
        {
            throw ProblemException.Invalid("attachmentIds", $"Attachment {string.Join(", ", missing)} does not exist, is not yours or is already on a message.");
        }
        message.Attachments.AddRange(files);
    }

    public static MessageDto ToDto(Message m) => new(
        m.Id, m.TicketId, m.Kind, m.Direction, m.Channel, m.AuthorType, m.AuthorAgentId, m.AuthorContactId,
        m.BodyText, InlineImages(m), m.CreatedAt,
        m.FromAddress, m.ToAddresses, m.CcAddresses, m.ThreadingReason, m.DeliveryStatus, m.DeliveryError,
        m.Attachments.OrderBy(a => a.Id).Select(AttachmentsApi.ToDto).ToList());

    /// <summary>Email HTML points at inline images by <c>cid:</c>; the API points them at the stored files.</summary>
    private static string? InlineImages(Message m)
    {
        if (m.BodyHtml is not { } html || !html.Contains("cid:", StringComparison.OrdinalIgnoreCase)) return m.BodyHtml;
        foreach (var a in m.Attachments.Where(a => !string.IsNullOrEmpty(a.ContentId)))
        {
            html = html.Replace("cid:" + a.ContentId, $"/api/v1/attachments/{a.Id}/content", StringComparison.OrdinalIgnoreCase);
        }
        return html;
    }
}
