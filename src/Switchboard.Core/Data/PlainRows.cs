using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Model;

namespace Switchboard.Core.Data;

/// <summary>
/// Rows that a unit of work writes itself, as plain rows in its transaction, instead of through the
/// change tracker (a batch of mail). Its messages are announced for the saves in between, so that what
/// reacts to added messages on a save (the SLA clocks) sees them as it sees tracked ones; its history
/// events are collected as they are recorded, never tracked, so they keep the order they were made in.
/// </summary>
public static class PlainRows
{
    private static readonly ConditionalWeakTable<DbContext, IReadOnlyList<Message>> Announced = [];
    private static readonly ConditionalWeakTable<DbContext, ICollection<TicketEvent>> Collecting = [];

    /// <summary>Announces <paramref name="messages"/> to the context's saves until the returned scope is disposed.</summary>
    public static Announcement AnnounceMessages(this DbContext db, IReadOnlyList<Message> messages)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(messages);
        Announced.AddOrUpdate(db, messages);
        return new Announcement(db);
    }

    /// <summary>The messages announced to this context's save, or none.</summary>
    public static IReadOnlyList<Message> AnnouncedMessages(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return Announced.TryGetValue(db, out var messages) ? messages : [];
    }

    /// <summary>Ends an announcement (contexts are pooled: nothing may outlive the unit of work).</summary>
    public readonly struct Announcement(DbContext db) : IDisposable
    {
        public void Dispose() => Announced.Remove(db);
    }

    /// <summary>
    /// Until the returned scope is disposed, the history events recorded on this context go to
    /// <paramref name="events"/>, in the order they are recorded, instead of into the change tracker.
    /// </summary>
    public static Collection CollectEvents(this DbContext db, ICollection<TicketEvent> events)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(events);
        Collecting.AddOrUpdate(db, events);
        return new Collection(db);
    }

    /// <summary>Where this context's history events go instead of the change tracker, if anywhere.</summary>
    public static ICollection<TicketEvent>? EventCollector(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return Collecting.TryGetValue(db, out var events) ? events : null;
    }

    /// <summary>Ends a collection of history events.</summary>
    public readonly struct Collection(DbContext db) : IDisposable
    {
        public void Dispose() => Collecting.Remove(db);
    }
}
