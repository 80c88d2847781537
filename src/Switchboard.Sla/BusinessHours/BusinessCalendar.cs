using System.Collections.Concurrent;

namespace Switchboard.Sla.BusinessHours;

/// <summary>One stretch of working time in a day, in local wall-clock time; <see cref="End"/> may be 24:00.</summary>
public readonly record struct WorkingRange(TimeSpan Start, TimeSpan End)
{
    public static WorkingRange Parse(string start, string end) => new(ParseClock(start), ParseClock(end));

    private static TimeSpan ParseClock(string value) => value == "24:00"
        ? TimeSpan.FromHours(24)
        : TimeOnly.ParseExact(value, "HH:mm", System.Globalization.CultureInfo.InvariantCulture).ToTimeSpan();
}

/// <summary>
/// Weekly working hours in a time zone, with holidays. Answers "when is this much working time
/// used up" and "how much working time lies between two instants", exactly across daylight-saving
/// changes: each working range is turned into real instants on its own day, so a range on the night
/// the clocks go forward is an hour shorter and on the night they go back an hour longer.
/// </summary>
public sealed class BusinessCalendar
{
    /// <summary>How far ahead a due time is looked for; a calendar with no working time in that span yields none.</summary>
    private const int MaxDays = 3 * 366;

    private readonly Dictionary<DayOfWeek, WorkingRange[]> _week;
    private readonly HashSet<DateOnly> _holidays;
    private readonly bool _alwaysOpen;

    /// <summary>
    /// Each local day's working intervals in real time, worked out once: a recompute of a million
    /// tickets asks for the same few hundred days over and over, and time-zone rules are slow to apply.
    /// </summary>
    private readonly ConcurrentDictionary<DateOnly, (DateTimeOffset Start, DateTimeOffset End)[]> _days = new();

    public BusinessCalendar(TimeZoneInfo zone, IReadOnlyDictionary<DayOfWeek, WorkingRange[]> week, IEnumerable<DateOnly>? holidays = null)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(week);
        foreach (var (day, ranges) in week)
        {
            foreach (var r in ranges)
            {
                if (r.Start < TimeSpan.Zero || r.End > TimeSpan.FromHours(24) || r.Start >= r.End)
                {
                    throw new ArgumentException($"The working hours of {day} include an empty or impossible range {r.Start}–{r.End}.", nameof(week));
                }
            }
        }
        Zone = zone;
        _week = week.ToDictionary(kv => kv.Key, kv => kv.Value.OrderBy(r => r.Start).ToArray());
        _holidays = [.. holidays ?? []];
        _alwaysOpen = _holidays.Count == 0 && Enum.GetValues<DayOfWeek>().All(d =>
            _week.TryGetValue(d, out var r) && r.Length == 1 && r[0].Start == TimeSpan.Zero && r[0].End == TimeSpan.FromHours(24));
    }

    public TimeZoneInfo Zone { get; }

    public IReadOnlySet<DateOnly> Holidays => _holidays;

    /// <summary>Every hour of every day, no holidays: SLA clocks that never stop.</summary>
    public static BusinessCalendar AlwaysOpen(TimeZoneInfo? zone = null) => new(
        zone ?? TimeZoneInfo.Utc,
        Enum.GetValues<DayOfWeek>().ToDictionary(d => d, _ => new[] { new WorkingRange(TimeSpan.Zero, TimeSpan.FromHours(24)) }));

    public bool IsAlwaysOpen => _alwaysOpen;

    /// <summary>The instant at which <paramref name="workingTime"/> of working time after <paramref name="start"/> is used up; null when the calendar has no working time ahead.</summary>
    public DateTimeOffset? AddWorkingTime(DateTimeOffset start, TimeSpan workingTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingTime, TimeSpan.Zero);
        if (IsAlwaysOpen) return start + workingTime;
        var remaining = workingTime;
        foreach (var (from, to) in IntervalsFrom(start))
        {
            var begin = from < start ? start : from;
            var available = to - begin;
            if (available <= TimeSpan.Zero) continue;
            if (remaining <= available) return begin + remaining;
            remaining -= available;
        }
        return null;
    }

    /// <summary>Working time between two instants (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from) return TimeSpan.Zero;
        if (IsAlwaysOpen) return to - from;
        var total = TimeSpan.Zero;
        foreach (var (start, end) in IntervalsFrom(from))
        {
            if (start >= to) break;
            var a = start < from ? from : start;
            var b = end > to ? to : end;
            if (b > a) total += b - a;
        }
        return total;
    }

    public bool IsWorkingTime(DateTimeOffset instant)
    {
        foreach (var (start, end) in IntervalsFrom(instant))
        {
            return start <= instant && instant < end;
        }
        return false;
    }

    /// <summary>Working intervals in real time, in order, starting with the one that contains or follows <paramref name="from"/>.</summary>
    internal IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> IntervalsFrom(DateTimeOffset from)
    {
        var localDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, Zone).DateTime).AddDays(-1);
        for (var i = 0; i < MaxDays; i++, localDay = localDay.AddDays(1))
        {
            foreach (var (start, end) in _days.GetOrAdd(localDay, DayIntervals))
            {
                if (end <= from) continue;
                yield return (start, end);
            }
        }
    }

    private (DateTimeOffset Start, DateTimeOffset End)[] DayIntervals(DateOnly localDay)
    {
        if (_holidays.Contains(localDay) || !_week.TryGetValue(localDay.DayOfWeek, out var ranges)) return [];
        return ranges
            .Select(range => (Start: ToInstant(localDay, range.Start, earliest: true), End: ToInstant(localDay, range.End, earliest: false)))
            .Where(interval => interval.End > interval.Start)
            .ToArray();
    }

    /// <summary>
    /// The real instant (in UTC, as every stored time is) of a local wall-clock time. A time skipped when clocks go forward becomes the
    /// moment of the change; a time that happens twice when they go back is its first occurrence for
    /// the start of a range and its second for the end, so the range keeps its real length.
    /// </summary>
    private DateTimeOffset ToInstant(DateOnly day, TimeSpan timeOfDay, bool earliest)
    {
        var local = day.ToDateTime(TimeOnly.MinValue).Add(timeOfDay);
        if (Zone.IsInvalidTime(local))
        {
            // Walk forward to the first valid minute: the instant the clocks jumped.
            var probe = local;
            while (Zone.IsInvalidTime(probe)) probe = probe.AddMinutes(1);
            return new DateTimeOffset(probe, Zone.GetUtcOffset(probe)).ToUniversalTime();
        }
        if (Zone.IsAmbiguousTime(local))
        {
            var offsets = Zone.GetAmbiguousTimeOffsets(local);
            var instants = offsets.Select(o => new DateTimeOffset(local, o)).OrderBy(x => x.UtcTicks).ToArray();
            return (earliest ? instants[0] : instants[^1]).ToUniversalTime();
        }
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
