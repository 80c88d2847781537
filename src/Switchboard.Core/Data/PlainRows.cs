using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
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

    /// <summary>The transaction plain rows are written in: the unit of work's own, which must be open.</summary>
    public static DbTransaction Transaction(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Plain rows are written inside the unit of work's transaction.");
    }

    /// <summary>A statement's placeholder for a column: named on SQLite (<c>@p0</c>, in column order), by position on PostgreSQL (<c>$1</c>).</summary>
    public static string Placeholder(int column, bool sqlite) =>
        sqlite ? ParameterName(column) : "$" + (column + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The name of a prepared SQLite command's parameter for a column (<c>@p0</c>).</summary>
    public static string ParameterName(int column) => "@p" + column.ToString(CultureInfo.InvariantCulture);

    /// <summary>A column's parameter type as the database stores it: SQLite keeps times as Unix milliseconds (<see cref="UnixMillisecondsConverter"/>).</summary>
    public static DbType ParameterType(DbType column, bool sqlite) => sqlite && column == DbType.DateTimeOffset ? DbType.Int64 : column;

    /// <summary>A value as the database stores it: null as <see cref="DBNull"/>, times as the model's converter writes them on SQLite, in UTC on PostgreSQL.</summary>
    public static object Value(object? value, bool sqlite) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset at => sqlite ? at.ToUnixTimeMilliseconds() : at.ToUniversalTime(),
        _ => value,
    };

    /// <summary>An enum as the model stores it: its lower-case name.</summary>
    public static string Lower<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}
