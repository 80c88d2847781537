using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Core.Events;

/// <summary>
/// Moves tickets' clocks for tickets and messages that are written as plain rows rather than saved through the
/// context (a save's interceptors do it there). The caller passes them before it stores the tickets' rows; the
/// clock changes only the tickets' SLA fields, in memory.
/// </summary>
public interface ITicketMessageClock
{
    /// <summary>Each new message with its ticket, in the order written.</summary>
    ValueTask MessagesAddedAsync(SwitchboardDb db, IReadOnlyList<(Ticket Ticket, Message Message)> added, CancellationToken ct);

    /// <summary>New tickets, not yet stored, before any message of theirs is passed: their clocks start as a save starts an added ticket's.</summary>
    ValueTask TicketsOpenedAsync(SwitchboardDb db, IReadOnlyList<Ticket> opened, CancellationToken ct);
}
