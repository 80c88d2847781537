using System.Text.Json;

namespace Switchboard.Sla.BusinessHours;

/// <summary>The stored form of weekly hours: <c>{"monday":[["09:00","17:00"]], …}</c>.</summary>
public static class WeeklyHours
{
    public static Dictionary<DayOfWeek, WorkingRange[]> Parse(string json)
    {
        var raw = JsonSerializer.Deserialize<Dictionary<string, string[][]>>(json) ?? [];
        var week = new Dictionary<DayOfWeek, WorkingRange[]>();
        foreach (var (day, ranges) in raw)
        {
            if (!Enum.TryParse<DayOfWeek>(day, true, out var dayOfWeek) || !Enum.IsDefined(dayOfWeek))
            {
                throw new FormatException($"'{day}' is not a day of the week; use monday … sunday.");
            }
            week[dayOfWeek] = ranges.Select(r => r.Length == 2
                ? ParseRange(r[0], r[1])
                : throw new FormatException($"Each range of {day} needs a start and an end, e.g. [\"09:00\",\"17:00\"].")).ToArray();
        }
        return week;
    }

    private static WorkingRange ParseRange(string start, string end)
    {
        try
        {
            return WorkingRange.Parse(start, end);
        }
        catch (FormatException)
        {
            throw new FormatException($"'{start}'–'{end}' is not a range of HH:mm times (24:00 allowed as an end).");
        }
    }

    public static string Format(IReadOnlyDictionary<DayOfWeek, WorkingRange[]> week) =>
        JsonSerializer.Serialize(week.OrderBy(kv => ((int)kv.Key + 6) % 7).ToDictionary(
            kv => kv.Key.ToString().ToLowerInvariant(),
            kv => kv.Value.Select(r => new[] { Clock(r.Start), Clock(r.End) }).ToArray()));

    private static string Clock(TimeSpan t) => t == TimeSpan.FromHours(24) ? "24:00" : $"{(int)t.TotalHours:00}:{t.Minutes:00}";

    public static readonly string AlwaysOpen = Format(Enum.GetValues<DayOfWeek>().ToDictionary(d => d, _ => new[] { new WorkingRange(TimeSpan.Zero, TimeSpan.FromHours(24)) }));
}
