using Switchboard.Core.Model;
using Switchboard.Sla.BusinessHours;

namespace Switchboard.Sla.Tests;

public class SlaClockTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly BusinessCalendar AlwaysOpen = BusinessCalendar.AlwaysOpen();

    private static SlaPolicy Policy(int? first = 60, int? next = 240, int? resolution = 1440) => new()
    {
        Id = 7,
        Name = "Test",
        FirstResponseMinutes = first,
        NextResponseMinutes = next,
        ResolutionMinutes = resolution,
        WarningPercent = 75,
    };

    private static Ticket NewTicket() => new() { Subject = "s", CreatedAt = Monday, UpdatedAt = Monday };

    [Fact]
    public void Start_SetsDueAndWarningTimes_AndTheNextCheck()
    {
        var ticket = NewTicket();
        SlaClock.Start(ticket, Policy(), AlwaysOpen, Monday);

        Assert.Equal(Monday.AddHours(1), ticket.FirstResponseDueAt);
        Assert.Equal(Monday.AddMinutes(45), ticket.FirstResponseWarnAt);
        Assert.Equal(Monday.AddDays(1), ticket.ResolutionDueAt);
        Assert.Equal(Monday.AddMinutes(45), ticket.SlaNextCheckAt);
        Assert.Equal(SlaStatus.Active, ticket.SlaStatus);
    }

    [Fact]
    public void CustomerReplied_AfterFirstResponse_StartsNextResponseClock()
    {
        var ticket = NewTicket();
        SlaClock.Start(ticket, Policy(), AlwaysOpen, Monday);
        ticket.FirstResponseAt = Monday.AddMinutes(10);
        SlaClock.AgentReplied(ticket, Monday.AddMinutes(10));

        SlaClock.CustomerReplied(ticket, Policy(), AlwaysOpen, Monday.AddHours(2));

        Assert.Equal(Monday.AddHours(6), ticket.NextResponseDueAt);
        Assert.Null(ticket.FirstResponseDueAt);
    }

    [Fact]
    public void CustomerReplied_BeforeFirstResponse_LeavesFirstResponseClock()
    {
        var ticket = NewTicket();
        SlaClock.Start(ticket, Policy(), AlwaysOpen, Monday);

        SlaClock.CustomerReplied(ticket, Policy(), AlwaysOpen, Monday.AddMinutes(5));

        Assert.Null(ticket.NextResponseDueAt);
        Assert.Equal(Monday.AddHours(1), ticket.FirstResponseDueAt);
    }

    [Fact]
    public void Check_AnnouncesWarningThenBreach_EachOnce()
    {
        var ticket = NewTicket();
        SlaClock.Start(ticket, Policy(resolution: null), AlwaysOpen, Monday);

        Assert.Equal((SlaTargets.FirstResponse, SlaTargets.None), SlaClock.Check(ticket, Monday.AddMinutes(46)));
        Assert.Equal(Monday.AddHours(1), ticket.SlaNextCheckAt);
        Assert.Equal((SlaTargets.None, SlaTargets.FirstResponse), SlaClock.Check(ticket, Monday.AddMinutes(61)));
        Assert.Equal((SlaTargets.None, SlaTargets.None), SlaClock.Check(ticket, Monday.AddMinutes(90)));
        Assert.Null(ticket.SlaNextCheckAt);
        Assert.Equal(SlaStatus.Breached, ticket.SlaStatus);
    }

    [Fact]
    public void PauseAndResume_ShiftsOpenDueTimesByThePause()
    {
        var ticket = NewTicket();
        SlaClock.Start(ticket, Policy(), AlwaysOpen, Monday);
        SlaClock.Pause(ticket, Monday.AddMinutes(30));
        Assert.Null(ticket.SlaNextCheckAt);

        SlaClock.Resume(ticket, AlwaysOpen, Monday.AddHours(3).AddMinutes(30));

        Assert.Equal(Monday.AddHours(4), ticket.FirstResponseDueAt);
        Assert.Equal(Monday.AddDays(1).AddHours(3), ticket.ResolutionDueAt);
        Assert.Equal(SlaStatus.Active, ticket.SlaStatus);
    }

    [Fact]
    public void Resume_OverAWeekend_CountsOnlyWorkingTime()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var weekdays = new BusinessCalendar(berlin, new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .ToDictionary(d => d, _ => new[] { WorkingRange.Parse("09:00", "17:00") }));
        var friday = new DateTimeOffset(2026, 11, 27, 15, 0, 0, TimeSpan.FromHours(1));
        var ticket = new Ticket { Subject = "s", CreatedAt = friday, UpdatedAt = friday };
        SlaClock.Start(ticket, Policy(first: 60, resolution: null), weekdays, friday);
        Assert.Equal(friday.AddHours(1), ticket.FirstResponseDueAt);

        SlaClock.Pause(ticket, friday.AddMinutes(30));
        SlaClock.Resume(ticket, weekdays, new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.FromHours(1)));

        // 30 working minutes were left at the pause.
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 10, 30, 0, TimeSpan.FromHours(1)), ticket.FirstResponseDueAt);
    }

    [Fact]
    public void Stop_AfterBreach_KeepsBreachedStatus()
    {
        var ticket = NewTicket();
        SlaClock.Start(ticket, Policy(), AlwaysOpen, Monday);
        SlaClock.Check(ticket, Monday.AddHours(2));

        SlaClock.Stop(ticket);

        Assert.Equal(SlaStatus.Breached, ticket.SlaStatus);
        Assert.Null(ticket.SlaNextCheckAt);
    }

    [Fact]
    public void Start_ChatTicketWithChatTarget_UsesSeconds()
    {
        var ticket = NewTicket();
        ticket.Channel = Channel.Chat;
        var policy = Policy();
        policy.ChatFirstAnswerSeconds = 45;

        SlaClock.Start(ticket, policy, AlwaysOpen, Monday);

        Assert.Equal(Monday.AddSeconds(45), ticket.FirstResponseDueAt);
    }
}
