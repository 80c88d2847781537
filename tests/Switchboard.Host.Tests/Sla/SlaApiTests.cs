using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Sla;

/// <summary>Due times on tickets as agents see them in the API, kept current by every change, with warnings and breaches on the clock.</summary>
public abstract class SlaApiTests(SwitchboardFactory factory) : ApiTests(factory)
{
    private async Task<JsonElement> NewTicketAsync(string department, string priority)
    {
        var request = TicketRequest(Unique("sla"));
        request["departmentId"] = await DepartmentIdAsync(department);
        request["priority"] = priority;
        return await CreateTicketAsync(request);
    }

    private static DateTimeOffset? Time(JsonElement ticket, string property) =>
        ticket.GetProperty(property).ValueKind == JsonValueKind.Null ? null : ticket.GetProperty(property).GetDateTimeOffset();

    private async Task<List<JsonElement>> EventsAsync(long ticketId) =>
        (await GetAsync($"/api/v1/tickets/{ticketId}/events")).Items().ToList();

    /// <summary>The SLA worker runs on the test clock in the background; wait (briefly, in real time) for what it records.</summary>
    private async Task<JsonElement> WaitForEventAsync(long ticketId, string type, string target)
    {
        for (var i = 0; i < 100; i++)
        {
            var found = (await EventsAsync(ticketId)).FirstOrDefault(e => e.Str("type") == type && e.GetProperty("newValue").GetString() == target);
            if (found.ValueKind != JsonValueKind.Undefined) return found;
            await Task.Delay(100);
            // The worker waits on the test clock between passes; a nudge makes sure it takes another look.
            Factory.Clock.Advance(TimeSpan.FromMilliseconds(1100));
        }
        Assert.Fail($"No {type} event for {target} on ticket {ticketId}.");
        return default;
    }

    [Fact]
    public async Task ListTickets_SortByDue_MostUrgentFirstAndNothingDueLast()
    {
        var tag = Unique("due");
        async Task<long> TicketAsync(string department, string priority)
        {
            var request = TicketRequest(tag);
            request["departmentId"] = await DepartmentIdAsync(department);
            request["priority"] = priority;
            return (await CreateTicketAsync(request)).Id();
        }
        var normal = await TicketAsync("Technical support", "normal");   // first response in 8 h
        var noPolicy = await TicketAsync("Sales support", "low");        // nothing due
        var urgent = await TicketAsync("Enterprise support", "urgent");  // first response in 15 min
        var high = await TicketAsync("Enterprise support", "high");
        var resolved = await TicketAsync("Enterprise support", "urgent");
        await PatchAsync($"/api/v1/tickets/{resolved}", new { status = "resolved" });

        var firstPage = await ListTicketsAsync($"tag={tag}&sort=due&limit=2");
        var secondPage = await ListTicketsAsync($"tag={tag}&sort=due&limit=10&cursor={Uri.EscapeDataString(firstPage.GetProperty("nextCursor").GetString()!)}");

        var order = firstPage.Ids().Concat(secondPage.Ids()).ToList();
        Assert.Equal([urgent, high, normal], order.Take(3));
        Assert.Equal(new[] { noPolicy, resolved }.Order(), order.Skip(3).Order());
        var items = firstPage.Items().Concat(secondPage.Items()).ToList();
        Assert.Equal(Time(items[0], "firstResponseDueAt"), Time(items[0], "slaDueAt"));
        Assert.Null(Time(items[4], "slaDueAt"));
    }

    [Fact]
    public async Task DefaultPolicies_ShipTheDepartmentPriorityTable()
    {
        var policies = (await GetAsync("/api/v1/sla/policies")).Items().ToList();

        var enterpriseUrgent = policies.Single(p => p.Str("name") == "Enterprise support · urgent");
        Assert.Equal(15, enterpriseUrgent.GetProperty("firstResponseMinutes").GetInt32());
        Assert.Equal(30, enterpriseUrgent.GetProperty("nextResponseMinutes").GetInt32());
        var technicalNormal = policies.Single(p => p.Str("name") == "Technical support · normal");
        Assert.Equal(480, technicalNormal.GetProperty("firstResponseMinutes").GetInt32());
        Assert.Equal(1920, technicalNormal.GetProperty("nextResponseMinutes").GetInt32());
        Assert.Equal(9, policies.Count(p => p.Str("name").Contains(" · ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CreateTicket_EnterpriseUrgent_FirstResponseDueInFifteenMinutes()
    {
        var ticket = await NewTicketAsync("Enterprise support", "urgent");

        Assert.Equal(ticket.GetProperty("createdAt").GetDateTimeOffset().AddMinutes(15), Time(ticket, "firstResponseDueAt"));
        Assert.Equal("active", ticket.Str("slaStatus"));
    }

    [Fact]
    public async Task CreateTicket_NoMatchingPolicy_HasNoDueTimes()
    {
        var ticket = await NewTicketAsync("Sales support", "low");

        Assert.Null(Time(ticket, "firstResponseDueAt"));
        Assert.Equal("none", ticket.Str("slaStatus"));
    }

    [Fact]
    public async Task Reply_BeforeDue_MeetsFirstResponse()
    {
        var ticket = await NewTicketAsync("Sales support", "high");
        Factory.Clock.Advance(TimeSpan.FromMinutes(20));

        await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "On it.", kind = "reply" }).ShouldBeAsync(HttpStatusCode.Created);

        var after = await GetAsync($"/api/v1/tickets/{ticket.Id()}");
        Assert.Null(Time(after, "firstResponseDueAt"));
        Assert.Equal("met", after.Str("slaStatus"));
    }

    [Fact]
    public async Task Note_DoesNotCountAsResponse()
    {
        var ticket = await NewTicketAsync("Sales support", "high");

        await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "Checking with billing.", kind = "note" }).ShouldBeAsync(HttpStatusCode.Created);

        var after = await GetAsync($"/api/v1/tickets/{ticket.Id()}");
        Assert.Equal(Time(ticket, "firstResponseDueAt"), Time(after, "firstResponseDueAt"));
    }

    [Fact]
    public async Task PendingStatus_PausesTheClock_AndReopeningShiftsTheDueTime()
    {
        var ticket = await NewTicketAsync("Technical support", "high");
        var due = Time(ticket, "firstResponseDueAt")!.Value;

        Factory.Clock.Advance(TimeSpan.FromMinutes(30));
        var paused = await PatchAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "pending" });
        Assert.Equal("paused", paused.Str("slaStatus"));
        Factory.Clock.Advance(TimeSpan.FromHours(2));
        var resumed = await PatchAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "open" });

        Assert.Equal(due.AddHours(2), Time(resumed, "firstResponseDueAt"));
        Assert.Equal("active", resumed.Str("slaStatus"));
    }

    [Fact]
    public async Task PriorityChange_SelectsAnotherPolicy_RecomputesAndRecordsIt()
    {
        var ticket = await NewTicketAsync("Enterprise support", "normal");
        Assert.Equal(ticket.GetProperty("createdAt").GetDateTimeOffset().AddHours(1), Time(ticket, "firstResponseDueAt"));

        var changed = await PatchAsync($"/api/v1/tickets/{ticket.Id()}", new { priority = "urgent" });

        Assert.Equal(ticket.GetProperty("createdAt").GetDateTimeOffset().AddMinutes(15), Time(changed, "firstResponseDueAt"));
        var events = await EventsAsync(ticket.Id());
        Assert.Contains(events, e => e.Str("type") == "sla_policy_changed" && e.GetProperty("newValue").GetString() == "Enterprise support · urgent");
    }

    [Fact]
    public async Task Clock_PassingWarningShareAndDueTime_RecordsWarningThenBreachOnce()
    {
        var ticket = await NewTicketAsync("Enterprise support", "urgent");

        Factory.Clock.Advance(TimeSpan.FromMinutes(13)); // 80 % of 15 minutes is 12
        await WaitForEventAsync(ticket.Id(), "sla_warning", "first_response");
        Assert.Equal("warning", (await GetAsync($"/api/v1/tickets/{ticket.Id()}")).Str("slaStatus"));

        Factory.Clock.Advance(TimeSpan.FromMinutes(3));
        var breach = await WaitForEventAsync(ticket.Id(), "sla_breached", "first_response");
        Assert.Equal("system", breach.Str("actorType"));
        Assert.Equal("breached", (await GetAsync($"/api/v1/tickets/{ticket.Id()}")).Str("slaStatus"));

        Factory.Clock.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(500);
        Assert.Single(await EventsAsync(ticket.Id()), e => e.Str("type") == "sla_breached");
    }

    [Fact]
    public async Task Calendar_BusinessHoursOnPolicy_CountOnlyWorkingTime()
    {
        var calendar = await Admin.PostAsJsonAsync("/api/v1/calendars", new
        {
            name = Unique("Manila office "),
            timeZone = "Asia/Manila",
            weeklyHours = new Dictionary<string, string[][]>
            {
                ["monday"] = [["09:00", "18:00"]],
                ["tuesday"] = [["09:00", "18:00"]],
                ["wednesday"] = [["09:00", "18:00"]],
                ["thursday"] = [["09:00", "18:00"]],
                ["friday"] = [["09:00", "18:00"]],
            },
        }).ShouldBeAsync(HttpStatusCode.Created);
        var department = await CreateDepartmentAsync();
        await Admin.PostAsJsonAsync("/api/v1/sla/policies", new
        {
            name = Unique("Office hours "),
            position = -1,
            conditions = new { departmentIds = new[] { department } },
            firstResponseMinutes = 120,
            calendarId = calendar.Id(),
        }).ShouldBeAsync(HttpStatusCode.Created);

        var request = TicketRequest(Unique("sla"));
        request["departmentId"] = department;
        var ticket = await CreateTicketAsync(request);

        // Working time is counted in Manila (UTC+8) from 09:00 to 18:00 on weekdays.
        var created = ticket.GetProperty("createdAt").GetDateTimeOffset();
        var due = Time(ticket, "firstResponseDueAt")!.Value;
        var manila = TimeZoneInfo.FindSystemTimeZoneById("Asia/Manila");
        var local = TimeZoneInfo.ConvertTime(due, manila);
        Assert.InRange(local.TimeOfDay, TimeSpan.FromHours(9), TimeSpan.FromHours(18));
        Assert.NotEqual(DayOfWeek.Saturday, local.DayOfWeek);
        Assert.NotEqual(DayOfWeek.Sunday, local.DayOfWeek);
        Assert.True(due >= created.AddHours(2));
    }

    [Fact]
    public async Task Calendar_ChangedAfterTicketsExist_RecomputesTheirDueTimes()
    {
        var calendar = await Admin.PostAsJsonAsync("/api/v1/calendars", new { name = Unique("Shifting "), timeZone = "Europe/Berlin" })
            .ShouldBeAsync(HttpStatusCode.Created);
        var department = await CreateDepartmentAsync();
        await Admin.PostAsJsonAsync("/api/v1/sla/policies", new
        {
            name = Unique("Shifting hours "),
            position = -1,
            conditions = new { departmentIds = new[] { department } },
            firstResponseMinutes = 600,
            calendarId = calendar.Id(),
        }).ShouldBeAsync(HttpStatusCode.Created);
        var request = TicketRequest(Unique("sla"));
        request["departmentId"] = department;
        var ticket = await CreateTicketAsync(request);
        var created = ticket.GetProperty("createdAt").GetDateTimeOffset();
        Assert.Equal(created.AddHours(10), Time(ticket, "firstResponseDueAt"));

        // From round the clock to 09:00-12:00 on Mondays only, in Berlin.
        await PatchAsync($"/api/v1/calendars/{calendar.Id()}", new
        {
            weeklyHours = new Dictionary<string, string[][]> { ["monday"] = [["09:00", "12:00"]] },
        });

        DateTimeOffset? due = null;
        for (var i = 0; i < 100 && (due is null || due == created.AddHours(10)); i++)
        {
            await Task.Delay(100);
            Factory.Clock.Advance(TimeSpan.FromMilliseconds(1100));
            due = Time(await GetAsync($"/api/v1/tickets/{ticket.Id()}"), "firstResponseDueAt");
        }
        // Ten working hours at three a week: the fourth Monday after creation at the earliest.
        Assert.True(due >= created.AddDays(21), $"due {due} was not recomputed on the new calendar (created {created})");
        var berlin = TimeZoneInfo.ConvertTime(due!.Value, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.Equal(DayOfWeek.Monday, berlin.DayOfWeek);
        Assert.InRange(berlin.TimeOfDay, TimeSpan.FromHours(9), TimeSpan.FromHours(12));
    }

    [Fact]
    public async Task Calendar_UnknownTimeZoneOrBadHours_IsRefusedWithReason()
    {
        var zone = await Admin.PostAsJsonAsync("/api/v1/calendars", new { name = Unique("Bad "), timeZone = "Mars/Olympus" })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Mars/Olympus", zone.Detail(), StringComparison.Ordinal);

        var hours = await Admin.PostAsJsonAsync("/api/v1/calendars", new
        {
            name = Unique("Bad "),
            weeklyHours = new Dictionary<string, string[][]> { ["monday"] = [["17:00", "09:00"]] },
        }).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("monday", hours.Detail(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Calendar_ImportICalendar_AddsHolidays()
    {
        var calendar = await Admin.PostAsJsonAsync("/api/v1/calendars", new { name = Unique("Holidays "), timeZone = "Europe/Berlin" })
            .ShouldBeAsync(HttpStatusCode.Created);
        const string ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nDTEND;VALUE=DATE:20261227\r\nSUMMARY:Weihnachten\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

        using var content = new StringContent(ics, System.Text.Encoding.UTF8, "text/calendar");
        var updated = await Admin.PostAsync($"/api/v1/calendars/{calendar.Id()}/holidays/import", content).ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal(["2026-12-25", "2026-12-26"], updated.GetProperty("holidays").EnumerateArray().Select(h => h.Str("date")).ToArray());
    }

    [Fact]
    public async Task Policies_PlainAgent_CannotChangeThem()
    {
        var agent = await CreateAgentAsync();

        await agent.Client.PostAsJsonAsync("/api/v1/sla/policies", new { name = "Mine", firstResponseMinutes = 1 })
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }
}

public sealed class SlaApiTests_Sqlite(SqliteFactory factory) : SlaApiTests(factory), IClassFixture<SqliteFactory>;

public sealed class SlaApiTests_Postgres(PostgresFactory factory) : SlaApiTests(factory), IClassFixture<PostgresFactory>;
