using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Events;
using Switchboard.Core.Model;

namespace Switchboard.Chat;

/// <summary>A reply reaches the customer by chat only while the ticket's chat is live; <see cref="ChatReplyHook"/> delivers it.</summary>
internal sealed class ChatReplyChannel : IReplyChannel
{
    public Channel Channel => Channel.Chat;

    public async Task<ReplyReach> ReachAsync(SwitchboardDb db, Ticket ticket, CancellationToken ct)
    {
        var status = await db.ChatConversations.AsNoTracking().Where(c => c.TicketId == ticket.Id)
            .OrderByDescending(c => c.Id).Select(c => (ChatStatus?)c.Status).FirstOrDefaultAsync(ct);
        if (status is not { } s) return ReplyReach.No("this ticket has no chat.");
        return ChatReplyHook.IsLive(s) ? ReplyReach.Yes(null) : ReplyReach.No("the chat has ended.");
    }
}
