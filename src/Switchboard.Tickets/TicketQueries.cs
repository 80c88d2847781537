using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;

namespace Switchboard.Tickets;

/// <summary>Turns tickets into their API shape with one query for the rows and one for their tags.</summary>
internal static class TicketQueries
{
    private sealed record Row(Ticket T, string CustomerName, string? CustomerEmail);

    public static async Task<List<TicketDto>> ToDtosAsync(SwitchboardDb db, IQueryable<Ticket> query, CancellationToken ct)
    {
        // Both queries on one connection: one trip through the connection pool per page, not one per query.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var rows = await query.AsNoTracking()
                .Select(t => new Row(
                    t,
                    t.Customer!.Name,
                    t.Customer.Identities.Where(i => i.Type == IdentityType.Email).OrderBy(i => i.Id).Select(i => i.Value).FirstOrDefault()))
                .ToListAsync(ct);
            if (rows.Count == 0) return [];
            var ids = rows.Select(r => r.T.Id).ToArray();
            // One array parameter (json_each on SQLite, = ANY on PostgreSQL): the statement's text is the same for
            // every page, so EF Core keeps it. A list of parameters changes the text with the page's length, and
            // EF Core then writes the SQL anew for every request, one request at a time.
            var tags = (await db.TicketTags.AsNoTracking()
                    .Where(x => EF.Parameter(ids).Contains(x.TicketId))
                    .Select(x => new { x.TicketId, x.Tag!.Name })
                    .ToListAsync(ct))
                .ToLookup(x => x.TicketId, x => x.Name);
            return rows.Select(r => ToDto(r.T, r.CustomerName, r.CustomerEmail, tags[r.T.Id].Order(StringComparer.Ordinal).ToList())).ToList();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public static async Task<TicketDto> OneAsync(SwitchboardDb db, long id, CancellationToken ct) =>
        (await ToDtosAsync(db, db.Tickets.Where(t => t.Id == id), ct)).Single();

    public static TicketDto ToDto(Ticket t, string customerName, string? customerEmail, IReadOnlyList<string> tags) => new(
        t.Id, t.Id, t.Subject, t.Status, t.Priority, t.Channel, t.DepartmentId, t.AssigneeId,
        new CustomerRef(t.CustomerId, customerName, customerEmail), tags, t.MessageCount,
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

    public IQueryable<Ticket> Apply(IQueryable<Ticket> query, string? cursor)
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
