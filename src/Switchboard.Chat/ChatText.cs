using System.Globalization;
using System.Text.Json;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;

namespace Switchboard.Chat;

/// <summary>Validation and the shapes chat data takes on the wire. Chat text is plain text, kept as typed.</summary>
internal static class ChatText
{
    public static string Message(string? text, int max)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0) throw ProblemException.Invalid("text", "The message must not be empty.");
        if (trimmed.Length > max) throw ProblemException.Invalid("text", $"The message must have at most {max.ToString("N0", CultureInfo.InvariantCulture)} characters.");
        return trimmed;
    }

    /// <summary>Client ids are the sender's de-duplication keys: 8 to 64 letters, digits, '-' or '_'.</summary>
    public static string ClientId(string? id)
    {
        if (id is null || id.Length is < 8 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw ProblemException.Invalid("clientId", "The client id must have 8 to 64 letters, digits, '-' or '_'.");
        }
        return id;
    }

    public static string Status(ChatStatus status) => status.ToString().ToLowerInvariant();

    public static ChatLineDto ToDto(ChatLine line, string? agentName, Attachment? file) => new(
        line.Id, line.ClientId, line.SenderType == ActorType.Agent ? "agent" : "visitor", line.AgentId, agentName, line.Text,
        file is null ? null : new ChatFileDto(file.Id, file.FileName, file.ContentType, file.Size,
            string.Create(CultureInfo.InvariantCulture, $"/api/v1/chat/public/files/{line.Id}")),
        line.CreatedAt);

    public static ChatSummaryDto Summary(ChatConversation c) => new(
        c.Id, c.TicketId, c.WidgetId, Status(c.Status), c.VisitorName, c.VisitorEmail, c.IdentityVerified, c.AgentId, c.DepartmentId,
        c.CurrentPage, c.PagesVisited.Split('\n', StringSplitOptions.RemoveEmptyEntries), c.Referrer, c.Locale, c.UserAgent,
        JsonSerializer.Deserialize<Dictionary<string, string>>(c.PreChatValues) ?? [], c.QueuedAt, c.AcceptedAt, c.EndedAt, c.LastReadByVisitor);
}
