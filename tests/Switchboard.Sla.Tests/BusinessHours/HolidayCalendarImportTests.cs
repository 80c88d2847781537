using Switchboard.Sla.BusinessHours;

namespace Switchboard.Sla.Tests.BusinessHours;

public class HolidayCalendarImportTests
{
    [Fact]
    public void Parse_AllDayAndMultiDayEvents_ListsEachDate()
    {
        const string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nDTEND;VALUE=DATE:20261227\r\nSUMMARY:Christmas\\, Boxing Day\r\nEND:VEVENT\r\n"
            + "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261130\r\nSUMMARY:Araw ni Bonifacio\r\nEND:VEVENT\r\n"
            + "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\nDTEND;VALUE=DATE:20270102\r\nSUMMARY:元旦\r\n  (New Year)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        var holidays = HolidayCalendarImport.Parse(ics);
        Assert.Equal(
            [(new DateOnly(2026, 12, 25), "Christmas, Boxing Day"), (new DateOnly(2026, 12, 26), "Christmas, Boxing Day"),
             (new DateOnly(2026, 11, 30), "Araw ni Bonifacio"), (new DateOnly(2027, 1, 1), "元旦 (New Year)")],
            holidays);
    }

    [Fact]
    public void Parse_BadDate_SaysWhichValue()
    {
        var e = Assert.Throws<FormatException>(() => HolidayCalendarImport.Parse("BEGIN:VEVENT\nDTSTART:tomorrow\nEND:VEVENT\n"));
        Assert.Contains("tomorrow", e.Message, StringComparison.Ordinal);
    }
}
