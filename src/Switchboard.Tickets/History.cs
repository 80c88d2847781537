using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Tickets;

/// <summary>Who did something to a ticket.</summary>
public sealed record Actor(ActorType Type, long? Id, string? Name)
{
    public static Actor Of(CurrentAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new(ActorType.Agent, agent.Id, agent.Name);
    }

    public static readonly Actor System = new(ActorType.System, null, "Switchboard");
}

/// <summary>Every change made to a ticket is recorded here: who did what, when.</summary>
public static class History
{
    public static void Record(SwitchboardDb db, Ticket ticket, Actor actor, string type, DateTimeOffset at,
        string? field = null, string? oldValue = null, string? newValue = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(ticket);
        var e = NewEvent(actor, type, at, field, oldValue, newValue);
        // Through the navigation: a new ticket has no id until it is saved.
        e.Ticket = ticket;
        Add(db, e);
    }

    /// <summary>Records an event on a ticket that is not loaded (changed with a set-based update).</summary>
    public static void Record(SwitchboardDb db, long ticketId, Actor actor, string type, DateTimeOffset at,
        string? field = null, string? oldValue = null, string? newValue = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var e = NewEvent(actor, type, at, field, oldValue, newValue);
        e.TicketId = ticketId;
        Add(db, e);
    }

    /// <summary>Tracked, unless a caller that writes the events itself collects them (<see cref="PlainRows.CollectEvents"/>).</summary>
    private static void Add(SwitchboardDb db, TicketEvent e)
    {
        if (PlainRows.EventCollector(db) is { } collector) collector.Add(e);
        else db.TicketEvents.Add(e);
    }

    private static TicketEvent NewEvent(Actor actor, string type, DateTimeOffset at, string? field, string? oldValue, string? newValue)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new TicketEvent
        {
            ActorType = actor.Type,
            ActorId = actor.Id,
            ActorName = actor.Name,
            Type = type,
            Field = field,
            OldValue = oldValue,
            NewValue = newValue,
            CreatedAt = at,
        };
    }

    public static void Change<T>(SwitchboardDb db, Ticket ticket, Actor actor, DateTimeOffset at, string field, T oldValue, T newValue)
    {
        if (EqualityComparer<T>.Default.Equals(oldValue, newValue)) return;
        Record(db, ticket, actor, field + "_changed", at, field, Format(oldValue), Format(newValue));
    }

    private static string? Format<T>(T value) => value switch
    {
        null => null,
        Enum e => e.ToString().ToLowerInvariant(),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
