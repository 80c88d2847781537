using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Core.Events;

/// <summary>
/// Moves a ticket's response clocks for messages that are written as plain rows rather than saved through the
/// context (a save's interceptors do it there). The caller passes each new message with its ticket, in the order
/// written, before it stores the tickets' rows; the clock changes only the tickets' SLA fields, in memory.
/// </summary>
public interface ITicketMessageClock
{
    ValueTask MessagesAddedAsync(SwitchboardDb db, IReadOnlyList<(Ticket Ticket, Message Message)> added, CancellationToken ct);
}
