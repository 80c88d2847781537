using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Core.Events;

/// <summary>
/// A channel an agent's reply can go out on (email, live chat, the customer portal). Each channel
/// module says whether it reaches a ticket's customer right now; the ticket core picks the default
/// (the channel the customer last used) and refuses a choice that cannot reach them. The delivery
/// itself stays in the channel's <see cref="IAgentMessageHook"/>, keyed on the message's channel.
/// </summary>
public interface IReplyChannel
{
    Channel Channel { get; }

    Task<ReplyReach> ReachAsync(SwitchboardDb db, Ticket ticket, CancellationToken ct);
}

/// <summary>Whether a reply reaches the customer: where to (an address, "live chat"), or why not, in words for the agent.</summary>
public sealed record ReplyReach(bool Reachable, string? To, string? Reason)
{
    public static ReplyReach Yes(string? to) => new(true, to, null);

    public static ReplyReach No(string reason) => new(false, null, reason);
}
