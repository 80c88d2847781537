using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Tickets;

namespace Switchboard.Chat;

/// <summary>State changes every side of a chat shares; each leaves a ticket event that automation can react to.</summary>
internal static class ChatLifecycle
{
    public static async Task EndAsync(SwitchboardDb db, ChatConversation conversation, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var ticket = await db.Tickets.FirstAsync(t => t.Id == conversation.TicketId, ct);
        conversation.Status = ChatStatus.Ended;
        conversation.EndedAt = now;
        conversation.RingingAgentId = null;
        History.Record(db, ticket, actor, "chat_ended", now);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Nobody took the chat in time. Not saved.</summary>
    public static async Task MissAsync(SwitchboardDb db, ChatConversation conversation, DateTimeOffset now, CancellationToken ct)
    {
        var ticket = await db.Tickets.FirstAsync(t => t.Id == conversation.TicketId, ct);
        conversation.Status = ChatStatus.Missed;
        conversation.EndedAt = now;
        conversation.RingingAgentId = null;
        History.Record(db, ticket, Actor.System, "chat_missed", now);
    }

    /// <summary>1 for the chat waiting longest in its department.</summary>
    public static async Task<int> QueuePositionAsync(SwitchboardDb db, ChatConversation c, CancellationToken ct) =>
        1 + await db.ChatConversations.CountAsync(o =>
            (o.Status == ChatStatus.Queued || o.Status == ChatStatus.Ringing) && o.DepartmentId == c.DepartmentId
            && (o.QueuedAt < c.QueuedAt || (o.QueuedAt == c.QueuedAt && o.Id < c.Id)), ct);

    public static IReadOnlyList<long> Passed(ChatConversation c) =>
        c.PassedAgentIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => long.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    public static string WithPassed(ChatConversation c, long agentId)
    {
        var ids = Passed(c).Append(agentId).Distinct().TakeLast(100);
        return string.Join(',', ids);
    }
}
