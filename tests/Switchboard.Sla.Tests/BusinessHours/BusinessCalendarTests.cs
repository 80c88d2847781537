using Switchboard.Sla.BusinessHours;

namespace Switchboard.Sla.Tests.BusinessHours;

public class BusinessCalendarTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Manila = TimeZoneInfo.FindSystemTimeZoneById("Asia/Manila");

    private static BusinessCalendar Weekdays(TimeZoneInfo zone, string from = "09:00", string to = "17:00", IEnumerable<DateOnly>? holidays = null) =>
        new(zone, new Dictionary<DayOfWeek, WorkingRange[]>
        {
            [DayOfWeek.Monday] = [WorkingRange.Parse(from, to)],
            [DayOfWeek.Tuesday] = [WorkingRange.Parse(from, to)],
            [DayOfWeek.Wednesday] = [WorkingRange.Parse(from, to)],
            [DayOfWeek.Thursday] = [WorkingRange.Parse(from, to)],
            [DayOfWeek.Friday] = [WorkingRange.Parse(from, to)],
        }, holidays);

    private static DateTimeOffset Local(TimeZoneInfo zone, int y, int m, int d, int h, int min = 0)
    {
        var local = new DateTime(y, m, d, h, min, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    [Fact]
    public void AddWorkingTime_FridayAfternoon_ContinuesMondayMorning()
    {
        var calendar = Weekdays(Berlin);
        var due = calendar.AddWorkingTime(Local(Berlin, 2026, 11, 27, 16), TimeSpan.FromHours(2));
        Assert.Equal(Local(Berlin, 2026, 11, 30, 10), due);
    }

    [Fact]
    public void AddWorkingTime_CreatedOnSaturday_StartsCountingMonday()
    {
        var calendar = Weekdays(Berlin);
        var due = calendar.AddWorkingTime(Local(Berlin, 2026, 11, 28, 11), TimeSpan.FromMinutes(30));
        Assert.Equal(Local(Berlin, 2026, 11, 30, 9, 30), due);
    }

    [Fact]
    public void AddWorkingTime_CreatedAfterHours_StartsNextMorning()
    {
        var calendar = Weekdays(Berlin);
        var due = calendar.AddWorkingTime(Local(Berlin, 2026, 11, 24, 20), TimeSpan.FromHours(1));
        Assert.Equal(Local(Berlin, 2026, 11, 25, 10), due);
    }

    [Fact]
    public void AddWorkingTime_TargetSpanningHolidayWeekend_SkipsHolidayAndWeekend()
    {
        // Good Friday 2026 is April 3 and Easter Monday April 6.
        var calendar = Weekdays(Berlin, holidays: [new DateOnly(2026, 4, 3), new DateOnly(2026, 4, 6)]);
        var due = calendar.AddWorkingTime(Local(Berlin, 2026, 4, 2, 15), TimeSpan.FromHours(4));
        // Two hours on Thursday, then nothing until Tuesday 09:00, two more hours.
        Assert.Equal(Local(Berlin, 2026, 4, 7, 11), due);
    }

    [Fact]
    public void AddWorkingTime_SeveralRangesPerDay_SkipsLunch()
    {
        var calendar = new BusinessCalendar(Manila, new Dictionary<DayOfWeek, WorkingRange[]>
        {
            [DayOfWeek.Wednesday] = [WorkingRange.Parse("09:00", "12:00"), WorkingRange.Parse("13:00", "17:00")],
        });
        var due = calendar.AddWorkingTime(Local(Manila, 2026, 11, 25, 11, 30), TimeSpan.FromHours(1));
        Assert.Equal(Local(Manila, 2026, 11, 25, 13, 30), due);
    }

    [Fact]
    public void AddWorkingTime_Manila_SaturdayEveningToMonday_NoDaylightSaving()
    {
        var week = new Dictionary<DayOfWeek, WorkingRange[]>();
        foreach (var day in new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday })
        {
            week[day] = [WorkingRange.Parse("08:00", "18:00")];
        }
        var calendar = new BusinessCalendar(Manila, week);
        var due = calendar.AddWorkingTime(Local(Manila, 2026, 11, 28, 17, 30), TimeSpan.FromHours(1));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 30, 0, TimeSpan.FromHours(8)), due);
    }

    [Fact]
    public void AddWorkingTime_AlwaysOpenInBerlinAcrossSpringForward_CountsRealHours()
    {
        // Clocks go from 02:00 to 03:00 on 29 March 2026: 24 working hours end at 13:00 local, not 12:00.
        var calendar = new BusinessCalendar(Berlin, Enum.GetValues<DayOfWeek>().ToDictionary(d => d, _ => new[] { WorkingRange.Parse("00:00", "24:00") }));
        var due = calendar.AddWorkingTime(Local(Berlin, 2026, 3, 28, 12), TimeSpan.FromHours(24))!.Value;
        Assert.Equal(TimeSpan.FromHours(24), due - Local(Berlin, 2026, 3, 28, 12));
        Assert.Equal(new DateTime(2026, 3, 29, 13, 0, 0), TimeZoneInfo.ConvertTime(due, Berlin).DateTime);
    }

    [Fact]
    public void WorkingTimeBetween_NightRangeOnSpringForward_IsOneHourShorter()
    {
        var calendar = new BusinessCalendar(Berlin, new Dictionary<DayOfWeek, WorkingRange[]>
        {
            [DayOfWeek.Sunday] = [WorkingRange.Parse("01:00", "04:00")],
        });
        var worked = calendar.WorkingTimeBetween(Local(Berlin, 2026, 3, 29, 0), Local(Berlin, 2026, 3, 29, 5));
        Assert.Equal(TimeSpan.FromHours(2), worked);
    }

    [Fact]
    public void WorkingTimeBetween_NightRangeOnFallBack_IsOneHourLonger()
    {
        // Clocks go from 03:00 back to 02:00 on 25 October 2026.
        var calendar = new BusinessCalendar(Berlin, new Dictionary<DayOfWeek, WorkingRange[]>
        {
            [DayOfWeek.Sunday] = [WorkingRange.Parse("01:00", "04:00")],
        });
        var start = new DateTimeOffset(2026, 10, 24, 20, 0, 0, TimeSpan.Zero);
        var worked = calendar.WorkingTimeBetween(start, start.AddDays(1));
        Assert.Equal(TimeSpan.FromHours(4), worked);
    }

    [Fact]
    public void AddWorkingTime_NewYorkOverSpringForwardWeekend_KeepsLocalOpeningHours()
    {
        // DST starts 8 March 2026; Monday opens at 09:00 EDT (13:00 UTC) instead of 14:00 UTC.
        var calendar = Weekdays(NewYork);
        var due = calendar.AddWorkingTime(Local(NewYork, 2026, 3, 6, 16), TimeSpan.FromHours(2));
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 14, 0, 0, TimeSpan.Zero), due!.Value.ToUniversalTime());
    }

    [Fact]
    public void AddWorkingTime_NewYorkOverFallBackWeekend_KeepsLocalOpeningHours()
    {
        // DST ends 1 November 2026; Monday opens at 09:00 EST (14:00 UTC).
        var calendar = Weekdays(NewYork);
        var due = calendar.AddWorkingTime(Local(NewYork, 2026, 10, 30, 16, 30), TimeSpan.FromHours(1));
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 14, 30, 0, TimeSpan.Zero), due!.Value.ToUniversalTime());
    }

    [Fact]
    public void AddWorkingTime_CalendarWithNoHours_HasNoDueTime()
    {
        var calendar = new BusinessCalendar(Berlin, new Dictionary<DayOfWeek, WorkingRange[]>());
        Assert.Null(calendar.AddWorkingTime(Local(Berlin, 2026, 1, 1, 9), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void IsWorkingTime_InsideAndOutsideHours()
    {
        var calendar = Weekdays(Berlin);
        Assert.True(calendar.IsWorkingTime(Local(Berlin, 2026, 11, 26, 9)));
        Assert.False(calendar.IsWorkingTime(Local(Berlin, 2026, 11, 26, 17)));
        Assert.False(calendar.IsWorkingTime(Local(Berlin, 2026, 11, 28, 12)));
    }

    [Fact]
    public void WorkingTimeBetween_PauseOverWeekend_CountsOnlyOpenHours()
    {
        var calendar = Weekdays(Berlin);
        var worked = calendar.WorkingTimeBetween(Local(Berlin, 2026, 11, 27, 15), Local(Berlin, 2026, 11, 30, 11));
        Assert.Equal(TimeSpan.FromHours(4), worked);
    }

    [Fact]
    public void Constructor_RangeEndingBeforeItStarts_IsRefused()
    {
        var week = new Dictionary<DayOfWeek, WorkingRange[]> { [DayOfWeek.Monday] = [WorkingRange.Parse("17:00", "09:00")] };
        Assert.Throws<ArgumentException>(() => new BusinessCalendar(Berlin, week));
    }
}
