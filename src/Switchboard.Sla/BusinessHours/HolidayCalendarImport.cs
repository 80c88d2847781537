using System.Globalization;

namespace Switchboard.Sla.BusinessHours;

/// <summary>
/// Reads holidays from an iCalendar file (RFC 5545): every VEVENT's all-day dates, from DTSTART up
/// to but not including DTEND. Timed events count for the day they start on. Recurrence rules are
/// not expanded: public holiday feeds list each year's dates.
/// </summary>
public static class HolidayCalendarImport
{
    public static IReadOnlyList<(DateOnly Date, string Name)> Parse(string ics)
    {
        ArgumentNullException.ThrowIfNull(ics);
        var result = new List<(DateOnly, string)>();
        DateOnly? start = null, end = null;
        string name = "";
        var inEvent = false;
        foreach (var line in Unfold(ics))
        {
            if (line.Equals("BEGIN:VEVENT", StringComparison.OrdinalIgnoreCase))
            {
                inEvent = true;
                start = end = null;
                name = "";
                continue;
            }
            if (line.Equals("END:VEVENT", StringComparison.OrdinalIgnoreCase))
            {
                if (inEvent && start is { } s)
                {
                    var last = end is { } e && e > s ? e.AddDays(-1) : s;
                    for (var d = s; d <= last && result.Count < 10_000; d = d.AddDays(1)) result.Add((d, name));
                }
                inEvent = false;
                continue;
            }
            if (!inEvent) continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue;
            var property = line[..colon].Split(';')[0].ToUpperInvariant();
            var value = line[(colon + 1)..].Trim();
            switch (property)
            {
                case "DTSTART": start = ReadDate(value); break;
                case "DTEND": end = ReadDate(value); break;
                case "SUMMARY": name = value.Replace("\\,", ",", StringComparison.Ordinal).Replace("\\;", ";", StringComparison.Ordinal); break;
            }
        }
        return result;
    }

    private static DateOnly? ReadDate(string value) =>
        value.Length >= 8 && DateOnly.TryParseExact(value[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new FormatException($"'{value}' is not an iCalendar date.");

    /// <summary>Lines continued with a leading space or tab are joined (RFC 5545 §3.1).</summary>
    private static IEnumerable<string> Unfold(string ics)
    {
        string? current = null;
        foreach (var raw in ics.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (raw.Length > 0 && (raw[0] == ' ' || raw[0] == '\t') && current is not null)
            {
                current += raw[1..];
                continue;
            }
            if (current is not null) yield return current;
            current = raw;
        }
        if (current is not null) yield return current;
    }
}
