using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Core.Events;

/// <summary>
/// Called when an agent adds a reply or note to a ticket, before it is saved, so a channel can
/// add its delivery (an outbox row) to the same transaction: the reply and its delivery are
/// stored together or not at all.
/// </summary>
public interface IAgentMessageHook
{
    ValueTask OnAgentMessageAsync(SwitchboardDb db, Ticket ticket, Message message, long agentId, CancellationToken ct);
}
