using Switchboard.Core.Data;
using Switchboard.Core.Events;
using Switchboard.Core.Model;

namespace Switchboard.Email;

/// <summary>A reply reaches the customer by email when they have an address and a mailbox can send; <see cref="EmailReplyHook"/> sends it.</summary>
internal sealed class EmailReplyChannel : IReplyChannel
{
    public Channel Channel => Channel.Email;

    public async Task<ReplyReach> ReachAsync(SwitchboardDb db, Ticket ticket, CancellationToken ct)
    {
        var to = await EmailReplyHook.CustomerAddressAsync(db, ticket, ct);
        if (to is null) return ReplyReach.No("the customer has no email address.");
        if (await Outbox.MailboxForAsync(db, ticket, ct) is null) return ReplyReach.No("no mailbox with an outgoing server is configured.");
        return ReplyReach.Yes(to);
    }
}
