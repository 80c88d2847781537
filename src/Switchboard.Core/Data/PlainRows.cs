using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
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

    private static readonly ConcurrentDictionary<(IModel Model, Type Type), ModelColumns> ColumnsByModel = new();

    /// <summary>
    /// The columns of an entity's table as the model maps them — every property but the key the database
    /// generates and what it computes itself — so that a plain INSERT writes what a save would write and
    /// follows the model when a column is added.
    /// </summary>
    public static ModelColumns ColumnsOf<T>(DbContext db) where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        return ColumnsByModel.GetOrAdd((db.Model, typeof(T)), static key =>
        {
            var entity = key.Model.FindEntityType(key.Type) ?? throw new InvalidOperationException($"{key.Type.Name} is not in the model.");
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var columns = new List<(string Name, DbType Type, Func<object, object?> Value)>();
            foreach (var property in entity.GetProperties())
            {
                if ((property.IsPrimaryKey() && property.ValueGenerated != ValueGenerated.Never)
                    || property.ValueGenerated == ValueGenerated.OnAddOrUpdate || property.GetComputedColumnSql() is not null)
                {
                    continue;
                }
                var converter = property.GetTypeMapping().Converter;
                var getter = property.GetGetter();
                var stored = converter?.ProviderClrType ?? property.ClrType;
                columns.Add((property.GetColumnName(table)!, DbTypeOf(stored), entity =>
                {
                    var value = getter.GetClrValue(entity);
                    if (value is null) return null;
                    if (converter is not null) return converter.ConvertToProvider(value);
                    return value is Enum ? Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), CultureInfo.InvariantCulture) : value;
                }
                ));
            }
            return new ModelColumns([.. columns.Select(c => (c.Name, c.Type))], [.. columns.Select(c => c.Value)]);
        });
    }

    /// <summary>A table's columns (names and parameter types) and how to read each one's stored value from an entity.</summary>
    public sealed record ModelColumns((string Name, DbType Type)[] Columns, Func<object, object?>[] Values)
    {
        public object?[] Row(object entity) => Array.ConvertAll(Values, value => value(entity));
    }

    private static DbType DbTypeOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum) type = Enum.GetUnderlyingType(type);
        if (type == typeof(DateTimeOffset)) return DbType.DateTimeOffset;
        if (type == typeof(Guid)) return DbType.Guid;
        if (type == typeof(byte[])) return DbType.Binary;
        return Type.GetTypeCode(type) switch
        {
            TypeCode.String => DbType.String,
            TypeCode.Int64 => DbType.Int64,
            TypeCode.Int32 => DbType.Int32,
            TypeCode.Int16 => DbType.Int16,
            TypeCode.Byte => DbType.Byte,
            TypeCode.Boolean => DbType.Boolean,
            TypeCode.Double => DbType.Double,
            TypeCode.Decimal => DbType.Decimal,
            TypeCode.DateTime => DbType.DateTime,
            _ => throw new NotSupportedException($"No parameter type for {type.Name} columns."),
        };
    }
}
