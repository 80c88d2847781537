using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Sla.BusinessHours;

namespace Switchboard.Sla;

/// <summary>Policies and calendars as the clock needs them, read once and kept until they change.</summary>
public sealed record SlaSnapshot(
    IReadOnlyList<(SlaPolicy Policy, PolicyConditions Conditions)> Policies,
    IReadOnlyDictionary<long, BusinessCalendar> Calendars,
    IReadOnlyDictionary<long, long> DepartmentCalendars,
    BusinessCalendar DefaultCalendar)
{
    public bool UsesCompany => Policies.Any(p => p.Conditions.UsesCompany);

    public bool UsesTags => Policies.Any(p => p.Conditions.UsesTags);

    public SlaPolicy? Match(Ticket ticket, long? companyId, IReadOnlyCollection<string> tags) =>
        Policies.FirstOrDefault(p => p.Conditions.Matches(ticket, companyId, tags)).Policy;

    public BusinessCalendar CalendarFor(SlaPolicy policy, long? departmentId) =>
        policy.CalendarId is { } own && Calendars.TryGetValue(own, out var c) ? c
        : departmentId is { } d && DepartmentCalendars.TryGetValue(d, out var dc) && Calendars.TryGetValue(dc, out var c2) ? c2
        : DefaultCalendar;
}

/// <summary>
/// Caches the <see cref="SlaSnapshot"/>. Changes through the API call <see cref="Invalidate"/>;
/// other nodes pick changes up within <see cref="MaxAge"/>.
/// </summary>
public sealed class SlaCatalog(TimeProvider time) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private (SlaSnapshot Snapshot, DateTimeOffset LoadedAt)? _current;

    public void Invalidate() => _current = null;

    public async Task<SlaSnapshot> GetAsync(SwitchboardDb db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (_current is { } c && time.GetUtcNow() - c.LoadedAt < MaxAge) return c.Snapshot;
        await _lock.WaitAsync(ct);
        try
        {
            if (_current is { } again && time.GetUtcNow() - again.LoadedAt < MaxAge) return again.Snapshot;
            var snapshot = await LoadAsync(db, ct);
            _current = (snapshot, time.GetUtcNow());
            return snapshot;
        }
        finally
        {
            _lock.Release();
        }
    }

    private static async Task<SlaSnapshot> LoadAsync(SwitchboardDb db, CancellationToken ct)
    {
        var policies = await db.SlaPolicies.AsNoTracking().Where(p => p.IsActive).OrderBy(p => p.Position).ThenBy(p => p.Id).ToListAsync(ct);
        var calendars = await db.WorkCalendars.AsNoTracking().Include(c => c.Holidays).ToListAsync(ct);
        var built = calendars.ToDictionary(c => c.Id, Build);
        var defaultId = calendars.FirstOrDefault(c => c.IsDefault)?.Id;
        var departments = await db.Departments.AsNoTracking().Where(d => d.CalendarId != null)
            .ToDictionaryAsync(d => d.Id, d => d.CalendarId!.Value, ct);
        return new SlaSnapshot(
            policies.Select(p => (p, PolicyConditions.FromJson(p.Conditions))).ToList(),
            built,
            departments,
            defaultId is { } id ? built[id] : BusinessCalendar.AlwaysOpen());
    }

    public static BusinessCalendar Build(WorkCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(calendar.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        return new BusinessCalendar(zone, WeeklyHours.Parse(calendar.WeeklyHours), calendar.Holidays.Select(h => h.Date));
    }

    public void Dispose() => _lock.Dispose();
}
