using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Tickets;

/// <summary>Message bodies, attachments and their API shape.</summary>
internal static class MessagesApi
{
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
