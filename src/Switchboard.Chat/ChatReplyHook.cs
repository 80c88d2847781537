using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Events;
using Switchboard.Core.Model;

namespace Switchboard.Chat;

/// <summary>
/// An agent's reply on a chat ticket through the messages API (any agent UI) becomes a chat line:
/// live, it reaches the visitor at once; after the chat, the visitor sees it when they come back
/// and, when they gave an email address, it goes out by email so the conversation can go on there.
/// </summary>
internal sealed class ChatReplyHook(ChatNotifier notify, IEnumerable<ISystemMailer> mailers) : IAgentMessageHook
{
    public async ValueTask OnAgentMessageAsync(SwitchboardDb db, Ticket ticket, Message message, long agentId, CancellationToken ct)
    {
        if (message.Kind != MessageKind.Reply || message.Channel != Channel.Chat) return;
        var conversation = await db.ChatConversations.Where(c => c.TicketId == ticket.Id).OrderByDescending(c => c.Id).FirstOrDefaultAsync(ct);
        if (conversation is null) return;
        var agentName = await db.Agents.AsNoTracking().Where(a => a.Id == agentId).Select(a => a.Name).FirstOrDefaultAsync(ct);
        var line = new ChatLine
        {
            Conversation = conversation,
            ClientId = "m" + Guid.NewGuid().ToString("N"),
            Message = message,
            SenderType = ActorType.Agent,
            AgentId = agentId,
            Text = message.BodyText,
            CreatedAt = message.CreatedAt,
        };
        db.ChatLines.Add(line);
        var live = IsLive(conversation.Status);
        if (live)
        {
            message.DeliveryStatus = "sent";
        }
        else if (conversation.VisitorEmail is { } email)
        {
            var mail = new SystemMail(email, $"Re: {ticket.Subject} [#{ticket.Id}]", message.BodyText,
                "<p style=\"white-space:pre-wrap\">" + System.Net.WebUtility.HtmlEncode(message.BodyText) + "</p>", ticket.DepartmentId, ticket.Id);
            var queued = false;
            foreach (var mailer in mailers) queued |= await mailer.QueueAsync(db, mail, ct);
            message.DeliveryStatus = queued ? "queued" : "failed";
            message.DeliveryError = queued ? null : "Not sent: the chat has ended and no mailbox with an outgoing server is configured.";
            message.ToAddresses = email;
        }
        else
        {
            message.DeliveryStatus = "failed";
            message.DeliveryError = "Not sent: the chat has ended and the visitor left no email address.";
        }
        // Pushed once the reply is stored, never before.
        db.AfterNextSave(() =>
        {
            var dto = ChatText.ToDto(line, agentName, null);
            _ = notify.Visitor(conversation.Id).Line(dto);
            if (conversation.AgentId is { } owner) _ = notify.Agent(owner).Line(conversation.Id, dto);
        });
    }

    /// <summary>The visitor is there: waiting, being offered to an agent, or chatting.</summary>
    public static bool IsLive(ChatStatus status) => status is ChatStatus.Active or ChatStatus.Queued or ChatStatus.Ringing;
}
