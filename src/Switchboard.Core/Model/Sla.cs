namespace Switchboard.Core.Model;

/// <summary>Working hours in a time zone, with holidays, against which SLA targets are counted.</summary>
public class WorkCalendar
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>IANA time zone, e.g. Europe/Berlin.</summary>
    public required string TimeZone { get; set; }
    /// <summary>JSON: day name → list of ["HH:mm","HH:mm"] ranges, e.g. {"monday":[["09:00","17:00"]]}.</summary>
    public required string WeeklyHours { get; set; }
    public bool IsDefault { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<WorkCalendarHoliday> Holidays { get; set; } = [];
}

public class WorkCalendarHoliday
{
    public long CalendarId { get; set; }
    public DateOnly Date { get; set; }
    public string Name { get; set; } = "";
}

public enum SlaStatus { None, Active, Paused, Warning, Breached, Met }

/// <summary>
/// Response and resolution targets for the tickets its conditions match. Policies are tried in
/// <see cref="Position"/> order and the first that matches applies.
/// </summary>
public class SlaPolicy
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public int Position { get; set; }
    public bool IsActive { get; set; } = true;
    /// <summary>JSON: { "departmentIds": [..], "priorities": [..], "channels": [..], "companyIds": [..], "tags": [..] }; an empty or missing list matches all.</summary>
    public string Conditions { get; set; } = "{}";
    public int? FirstResponseMinutes { get; set; }
    public int? NextResponseMinutes { get; set; }
    public int? ResolutionMinutes { get; set; }
    /// <summary>For chats: the first answer, in seconds.</summary>
    public int? ChatFirstAnswerSeconds { get; set; }
    /// <summary>A warning is raised when this share of a target (percent) has passed.</summary>
    public int WarningPercent { get; set; } = 80;
    /// <summary>Null: the ticket's department's calendar, else the default calendar.</summary>
    public long? CalendarId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
