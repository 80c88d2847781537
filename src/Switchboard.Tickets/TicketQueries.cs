using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;

namespace Switchboard.Tickets;

/// <summary>
/// Exactly the columns a <see cref="TicketDto"/> shows, with its customer's name and email address.
/// The sort and the page limit apply to these rows, so the database joins the customer while it walks the index in order and stops after the page, instead
/// of copying a page of whole tickets into a temporary table and sorting it again for the join; and
/// it reads no column the answer does not show (the SLA worker's bookkeeping is most of a ticket).
/// </summary>
internal sealed class TicketRow
{
    public long Id { get; init; }
    public required string Subject { get; init; }
    public TicketStatus Status { get; init; }
    public TicketPriority Priority { get; init; }
    public Channel Channel { get; init; }
    public long? DepartmentId { get; init; }
    public long? AssigneeId { get; init; }
    public long CustomerId { get; init; }
    public required string CustomerName { get; init; }
    public string? CustomerEmail { get; init; }
    public int MessageCount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? LastMessageAt { get; init; }
    public DateTimeOffset? FirstResponseAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public long? MergedIntoId { get; init; }
    public long? SplitFromId { get; init; }
    public long? FollowUpOfId { get; init; }
    public DateTimeOffset? FirstResponseDueAt { get; init; }
    public DateTimeOffset? NextResponseDueAt { get; init; }
    public DateTimeOffset? ResolutionDueAt { get; init; }
    public DateTimeOffset SlaDueAt { get; init; }
    public SlaStatus SlaStatus { get; init; }
    public SatisfactionRating Rating { get; init; }
    public string? RatingComment { get; init; }
    public DateTimeOffset? RatedAt { get; init; }
}

/// <summary>Turns tickets into their API shape with one query for the rows and one for their tags.</summary>
internal static class TicketQueries
{
    /// <summary>The tickets as rows of their API shape; sort and limit the result, not the tickets, so the customer is joined in the walk.</summary>
    /// <remarks>
    /// The customer is an explicit join, not a navigation: EF Core applies a navigation's join after the
    /// sort and limit that follow it, which puts the page of tickets in a subquery of its own.
    /// </remarks>
    public static IQueryable<TicketRow> Rows(this IQueryable<Ticket> tickets, SwitchboardDb db) =>
        tickets.Join(db.Contacts, t => t.CustomerId, c => c.Id, Projection);

    /// <summary>Built once: written inline, the expression tree of 28 members would be built anew for every request.</summary>
    private static readonly Expression<Func<Ticket, Contact, TicketRow>> Projection = (t, c) => new TicketRow
    {
        Id = t.Id,
        Subject = t.Subject,
        Status = t.Status,
        Priority = t.Priority,
        Channel = t.Channel,
        DepartmentId = t.DepartmentId,
        AssigneeId = t.AssigneeId,
        CustomerId = t.CustomerId,
        CustomerName = c.Name,
        CustomerEmail = c.Identities.Where(i => i.Type == IdentityType.Email).OrderBy(i => i.Id).Select(i => i.Value).FirstOrDefault(),
        MessageCount = t.MessageCount,
        CreatedAt = t.CreatedAt,
        UpdatedAt = t.UpdatedAt,
        LastMessageAt = t.LastMessageAt,
        FirstResponseAt = t.FirstResponseAt,
        ResolvedAt = t.ResolvedAt,
        MergedIntoId = t.MergedIntoId,
        SplitFromId = t.SplitFromId,
        FollowUpOfId = t.FollowUpOfId,
        FirstResponseDueAt = t.FirstResponseDueAt,
        NextResponseDueAt = t.NextResponseDueAt,
        ResolutionDueAt = t.ResolutionDueAt,
        SlaDueAt = t.SlaDueAt,
        SlaStatus = t.SlaStatus,
        Rating = t.Rating,
        RatingComment = t.RatingComment,
        RatedAt = t.RatedAt,
    };

    public static async Task<List<TicketDto>> ToDtosAsync(SwitchboardDb db, IQueryable<TicketRow> query, CancellationToken ct)
    {
        // Both queries on one connection: one trip through the connection pool per page, not one per query.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var rows = await query.AsNoTracking().ToListAsync(ct);
            if (rows.Count == 0) return [];
            var ids = new long[rows.Count];
            for (var i = 0; i < ids.Length; i++) ids[i] = rows[i].Id;
            var tags = await TagsAsync(db, ids, ct);
            var result = new List<TicketDto>(rows.Count);
            foreach (var row in rows) result.Add(ToDto(row, tags[row.Id].Order(StringComparer.Ordinal).ToList()));
            return result;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The tags of these tickets, by ticket. A plain command on the open connection: a fixed statement whose
    /// rows need no shaping, which through LINQ cost as much of the host's time as the page's own query.
    /// One array parameter (json_each on SQLite, = ANY on PostgreSQL) keeps the text the same for every page.
    /// </summary>
    private static async Task<ILookup<long, string>> TagsAsync(SwitchboardDb db, long[] ids, CancellationToken ct)
    {
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        cmd.CommandText = db.IsSqlite ? SqliteTagsSql : PostgresTagsSql;
        var parameter = cmd.CreateParameter();
        parameter.ParameterName = "ids";
        parameter.Value = db.IsSqlite ? JsonSerializer.Serialize(ids) : ids;
        cmd.Parameters.Add(parameter);
        var tags = new List<(long TicketId, string Name)>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) tags.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        return tags.ToLookup(x => x.TicketId, x => x.Name);
    }

    private const string SqliteTagsSql = """
        SELECT "t"."ticket_id", "t0"."name" FROM "ticket_tags" AS "t"
        INNER JOIN "tags" AS "t0" ON "t"."tag_id" = "t0"."id"
        WHERE "t"."ticket_id" IN (SELECT "i"."value" FROM json_each(@ids) AS "i")
        """;

    private const string PostgresTagsSql = """
        SELECT "t"."ticket_id", "t0"."name" FROM "ticket_tags" AS "t"
        INNER JOIN "tags" AS "t0" ON "t"."tag_id" = "t0"."id"
        WHERE "t"."ticket_id" = ANY (@ids)
        """;

    public static async Task<TicketDto> OneAsync(SwitchboardDb db, long id, CancellationToken ct) =>
        (await ToDtosAsync(db, db.Tickets.Where(t => t.Id == id).Rows(db), ct)).Single();

    private static TicketDto ToDto(TicketRow t, IReadOnlyList<string> tags) => new(
            t.Id, t.Id, t.Subject, t.Status, t.Priority, t.Channel, t.DepartmentId, t.AssigneeId,
            new CustomerRef(t.CustomerId, t.CustomerName, t.CustomerEmail), tags, t.MessageCount,
            t.CreatedAt, t.UpdatedAt, t.LastMessageAt, t.FirstResponseAt, t.ResolvedAt,
            t.FirstResponseAt is { } fr ? (long)(fr - t.CreatedAt).TotalSeconds : null,
            t.ResolvedAt is { } rs ? (long)(rs - t.CreatedAt).TotalSeconds : null,
            t.MergedIntoId, t.SplitFromId, t.FollowUpOfId,
            t.FirstResponseDueAt, t.NextResponseDueAt, t.ResolutionDueAt, t.SlaDueAt == Ticket.NothingDue ? null : t.SlaDueAt, t.SlaStatus, t.Rating, t.RatingComment, t.RatedAt);
}

/// <summary>
/// Keyset pagination: the cursor holds the sort key and id of the last row shown, so a deep page
/// costs the same as the first and rows inserted meanwhile never shift the pages.
/// </summary>
internal sealed record TicketSort(string Field, bool Descending)
{
    public static readonly TicketSort Default = new("updatedAt", true);

    private static readonly string[] Fields = ["updatedAt", "createdAt", "number", "due"];

    public static TicketSort ParseSort(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return Default;
        var descending = value.StartsWith('-');
        var field = value.TrimStart('-', '+');
        var match = Fields.FirstOrDefault(f => string.Equals(f, field, StringComparison.OrdinalIgnoreCase))
            ?? throw ProblemException.Invalid("sort", $"'{value}' is not a sort order; use updatedAt, createdAt, number or due (most urgent SLA due time first), with '-' in front for descending.");
        return new TicketSort(match, descending);
    }

    public IQueryable<TicketRow> Apply(IQueryable<TicketRow> query, string? cursor)
    {
        if (!string.IsNullOrEmpty(cursor))
        {
            var (key, id) = DecodeCursor(cursor);
            query = (Field, Descending) switch
            {
                ("updatedAt", true) => query.Where(t => t.UpdatedAt < key || (t.UpdatedAt == key && t.Id < id)),
                ("updatedAt", false) => query.Where(t => t.UpdatedAt > key || (t.UpdatedAt == key && t.Id > id)),
                ("createdAt", true) => query.Where(t => t.CreatedAt < key || (t.CreatedAt == key && t.Id < id)),
                ("createdAt", false) => query.Where(t => t.CreatedAt > key || (t.CreatedAt == key && t.Id > id)),
                ("due", true) => query.Where(t => t.SlaDueAt < key || (t.SlaDueAt == key && t.Id < id)),
                ("due", false) => query.Where(t => t.SlaDueAt > key || (t.SlaDueAt == key && t.Id > id)),
                (_, true) => query.Where(t => t.Id < id),
                _ => query.Where(t => t.Id > id),
            };
        }
        return (Field, Descending) switch
        {
            ("updatedAt", true) => query.OrderByDescending(t => t.UpdatedAt).ThenByDescending(t => t.Id),
            ("updatedAt", false) => query.OrderBy(t => t.UpdatedAt).ThenBy(t => t.Id),
            ("createdAt", true) => query.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id),
            ("createdAt", false) => query.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id),
            ("due", true) => query.OrderByDescending(t => t.SlaDueAt).ThenByDescending(t => t.Id),
            ("due", false) => query.OrderBy(t => t.SlaDueAt).ThenBy(t => t.Id),
            (_, true) => query.OrderByDescending(t => t.Id),
            _ => query.OrderBy(t => t.Id),
        };
    }

    public string CursorAfter(TicketDto last)
    {
        ArgumentNullException.ThrowIfNull(last);
        var key = Field switch
        {
            "updatedAt" => last.UpdatedAt.UtcTicks,
            "createdAt" => last.CreatedAt.UtcTicks,
            "due" => (last.SlaDueAt ?? Ticket.NothingDue).UtcTicks,
            _ => 0,
        };
        var raw = string.Create(CultureInfo.InvariantCulture, $"{Field}|{(Descending ? "d" : "a")}|{key}|{last.Id}");
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(raw)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private (DateTimeOffset Key, long Id) DecodeCursor(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('|');
            if (parts.Length == 4 && parts[0] == Field && parts[1] == (Descending ? "d" : "a"))
            {
                var ticks = long.Parse(parts[2], CultureInfo.InvariantCulture);
                return (new DateTimeOffset(ticks, TimeSpan.Zero), long.Parse(parts[3], CultureInfo.InvariantCulture));
            }
        }
        catch (FormatException)
        {
        }
        catch (ArgumentOutOfRangeException)
        {
        }
        catch (OverflowException)
        {
        }
        throw ProblemException.Invalid("cursor", "The cursor is not valid for this sort order; start again from the first page.");
    }
}
