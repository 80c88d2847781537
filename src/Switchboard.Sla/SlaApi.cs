using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;
using Switchboard.Sla.BusinessHours;

namespace Switchboard.Sla;

public sealed record SlaPolicyRequest(
    string? Name, int? Position, bool? IsActive, PolicyConditions? Conditions, int? FirstResponseMinutes, int? NextResponseMinutes,
    int? ResolutionMinutes, int? ChatFirstAnswerSeconds, int? WarningPercent, long? CalendarId);

public sealed record SlaPolicyDto(
    long Id, string Name, int Position, bool IsActive, PolicyConditions Conditions, int? FirstResponseMinutes, int? NextResponseMinutes,
    int? ResolutionMinutes, int? ChatFirstAnswerSeconds, int WarningPercent, long? CalendarId);

public sealed record HolidayDto(DateOnly Date, string Name);

public sealed record CalendarRequest(string? Name, string? TimeZone, Dictionary<string, string[][]>? WeeklyHours, HolidayDto[]? Holidays, bool? IsDefault);

public sealed record CalendarDto(long Id, string Name, string TimeZone, Dictionary<string, string[][]> WeeklyHours, IReadOnlyList<HolidayDto> Holidays, bool IsDefault);

internal static class SlaApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var policies = api.MapGroup("/sla/policies").WithTags("SLA").RequireAuthorization(Policies.Agent);
        policies.MapGet("/", ListPoliciesAsync);
        policies.MapPost("/", CreatePolicyAsync).RequireAuthorization(Policies.Admin);
        policies.MapPatch("/{id:long}", UpdatePolicyAsync).RequireAuthorization(Policies.Admin);
        policies.MapDelete("/{id:long}", DeletePolicyAsync).RequireAuthorization(Policies.Admin);

        var calendars = api.MapGroup("/calendars").WithTags("SLA").RequireAuthorization(Policies.Agent);
        calendars.MapGet("/", ListCalendarsAsync);
        calendars.MapPost("/", CreateCalendarAsync).RequireAuthorization(Policies.Admin);
        calendars.MapPatch("/{id:long}", UpdateCalendarAsync).RequireAuthorization(Policies.Admin);
        calendars.MapPost("/{id:long}/holidays/import", ImportHolidaysAsync).RequireAuthorization(Policies.Admin)
            .DisableAntiforgery().WithSummary("Add the holidays of an iCalendar (.ics) file sent as the request body.");
    }

    private static SlaPolicyDto ToDto(SlaPolicy p) => new(p.Id, p.Name, p.Position, p.IsActive, PolicyConditions.FromJson(p.Conditions),
        p.FirstResponseMinutes, p.NextResponseMinutes, p.ResolutionMinutes, p.ChatFirstAnswerSeconds, p.WarningPercent, p.CalendarId);

    private static async Task<Ok<ItemsDto<SlaPolicyDto>>> ListPoliciesAsync(SwitchboardDb db, CancellationToken ct) =>
        TypedResults.Ok(new ItemsDto<SlaPolicyDto>((await db.SlaPolicies.AsNoTracking().OrderBy(p => p.Position).ThenBy(p => p.Id).ToListAsync(ct)).Select(ToDto).ToList()));

    private static async Task<Created<SlaPolicyDto>> CreatePolicyAsync(SlaPolicyRequest request, SwitchboardDb db, SlaCatalog catalog, TimeProvider time, CancellationToken ct)
    {
        var policy = new SlaPolicy { Name = RequireName(request.Name), CreatedAt = time.GetUtcNow() };
        await FillAsync(db, policy, request, ct);
        db.SlaPolicies.Add(policy);
        await db.SaveChangesAsync(ct);
        await SlaRecompute.RequestAsync(db, catalog, ct);
        return TypedResults.Created($"/api/v1/sla/policies/{policy.Id}", ToDto(policy));
    }

    private static async Task<Ok<SlaPolicyDto>> UpdatePolicyAsync(long id, SlaPolicyRequest request, SwitchboardDb db, SlaCatalog catalog, CancellationToken ct)
    {
        var policy = await db.SlaPolicies.FirstOrDefaultAsync(p => p.Id == id, ct) ?? throw ProblemException.NotFound($"SLA policy {id}");
        if (request.Name is not null) policy.Name = RequireName(request.Name);
        await FillAsync(db, policy, request, ct);
        await db.SaveChangesAsync(ct);
        await SlaRecompute.RequestAsync(db, catalog, ct);
        return TypedResults.Ok(ToDto(policy));
    }

    private static async Task<NoContent> DeletePolicyAsync(long id, SwitchboardDb db, SlaCatalog catalog, CancellationToken ct)
    {
        if (await db.SlaPolicies.Where(p => p.Id == id).ExecuteDeleteAsync(ct) == 0) throw ProblemException.NotFound($"SLA policy {id}");
        await SlaRecompute.RequestAsync(db, catalog, ct);
        return TypedResults.NoContent();
    }

    private static async Task FillAsync(SwitchboardDb db, SlaPolicy policy, SlaPolicyRequest request, CancellationToken ct)
    {
        if (request.Position is { } position) policy.Position = position;
        if (request.IsActive is { } active) policy.IsActive = active;
        if (request.Conditions is { } conditions) policy.Conditions = conditions.ToJson();
        policy.FirstResponseMinutes = Target(request.FirstResponseMinutes, "firstResponseMinutes") ?? policy.FirstResponseMinutes;
        policy.NextResponseMinutes = Target(request.NextResponseMinutes, "nextResponseMinutes") ?? policy.NextResponseMinutes;
        policy.ResolutionMinutes = Target(request.ResolutionMinutes, "resolutionMinutes") ?? policy.ResolutionMinutes;
        policy.ChatFirstAnswerSeconds = Target(request.ChatFirstAnswerSeconds, "chatFirstAnswerSeconds") ?? policy.ChatFirstAnswerSeconds;
        if (request.WarningPercent is { } warn)
        {
            policy.WarningPercent = warn is >= 1 and <= 99 ? warn : throw ProblemException.Invalid("warningPercent", "warningPercent must be between 1 and 99.");
        }
        if (request.CalendarId is { } calendar)
        {
            policy.CalendarId = await db.WorkCalendars.AnyAsync(c => c.Id == calendar, ct)
                ? calendar
                : throw ProblemException.Invalid("calendarId", $"Calendar {calendar} does not exist.");
        }
    }

    private static int? Target(int? value, string field) =>
        value is null or (>= 1 and <= 525_600) ? value : throw ProblemException.Invalid(field, $"{field} must be between 1 and 525600 (a year).");

    private static string RequireName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        return trimmed.Length is > 0 and <= 200 ? trimmed : throw ProblemException.Invalid("name", "The name must have 1 to 200 characters.");
    }

    private static CalendarDto ToDto(WorkCalendar c) => new(c.Id, c.Name, c.TimeZone,
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string[][]>>(c.WeeklyHours) ?? [],
        c.Holidays.OrderBy(h => h.Date).Select(h => new HolidayDto(h.Date, h.Name)).ToList(), c.IsDefault);

    private static async Task<Ok<ItemsDto<CalendarDto>>> ListCalendarsAsync(SwitchboardDb db, CancellationToken ct) =>
        TypedResults.Ok(new ItemsDto<CalendarDto>((await db.WorkCalendars.AsNoTracking().Include(c => c.Holidays).OrderBy(c => c.Name).ToListAsync(ct)).Select(ToDto).ToList()));

    private static async Task<Created<CalendarDto>> CreateCalendarAsync(CalendarRequest request, SwitchboardDb db, SlaCatalog catalog, TimeProvider time, CancellationToken ct)
    {
        var calendar = new WorkCalendar { Name = RequireName(request.Name), TimeZone = "UTC", WeeklyHours = WeeklyHours.AlwaysOpen, CreatedAt = time.GetUtcNow() };
        await FillAsync(db, calendar, request, ct);
        db.WorkCalendars.Add(calendar);
        await db.SaveChangesAsync(ct);
        // Unused until a policy or department names it: nothing to recompute.
        catalog.Invalidate();
        return TypedResults.Created($"/api/v1/calendars/{calendar.Id}", ToDto(calendar));
    }

    private static async Task<Ok<CalendarDto>> UpdateCalendarAsync(long id, CalendarRequest request, SwitchboardDb db, SlaCatalog catalog, CancellationToken ct)
    {
        var calendar = await db.WorkCalendars.Include(c => c.Holidays).FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw ProblemException.NotFound($"Calendar {id}");
        if (request.Name is not null) calendar.Name = RequireName(request.Name);
        await FillAsync(db, calendar, request, ct);
        await db.SaveChangesAsync(ct);
        await SlaRecompute.RequestAsync(db, catalog, ct);
        return TypedResults.Ok(ToDto(calendar));
    }

    private static async Task FillAsync(SwitchboardDb db, WorkCalendar calendar, CalendarRequest request, CancellationToken ct)
    {
        if (request.TimeZone is { } zone)
        {
            calendar.TimeZone = TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)
                ? zone
                : throw ProblemException.Invalid("timeZone", $"'{zone}' is not a known time zone; use an IANA name such as Europe/Berlin.");
        }
        if (request.WeeklyHours is { } hours)
        {
            var json = System.Text.Json.JsonSerializer.Serialize(hours);
            try
            {
                var week = WeeklyHours.Parse(json);
                // The calendar checks each range; its error names the day.
                _ = new BusinessCalendar(TimeZoneInfo.Utc, week);
                calendar.WeeklyHours = WeeklyHours.Format(week);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw ProblemException.Invalid("weeklyHours", e.Message);
            }
        }
        if (request.Holidays is { } holidays)
        {
            calendar.Holidays.Clear();
            foreach (var h in holidays.DistinctBy(h => h.Date)) calendar.Holidays.Add(new WorkCalendarHoliday { Date = h.Date, Name = h.Name ?? "" });
        }
        if (request.IsDefault == true)
        {
            await db.WorkCalendars.Where(c => c.Id != calendar.Id && c.IsDefault).ExecuteUpdateAsync(s => s.SetProperty(c => c.IsDefault, false), ct);
            calendar.IsDefault = true;
        }
    }

    private static async Task<Ok<CalendarDto>> ImportHolidaysAsync(long id, HttpRequest http, SwitchboardDb db, SlaCatalog catalog, CancellationToken ct)
    {
        var calendar = await db.WorkCalendars.Include(c => c.Holidays).FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw ProblemException.NotFound($"Calendar {id}");
        using var reader = new StreamReader(http.Body);
        var text = await reader.ReadToEndAsync(ct);
        if (text.Length > 1_000_000) throw ProblemException.Invalid("body", "The calendar file is larger than 1 MB.");
        IReadOnlyList<(DateOnly Date, string Name)> holidays;
        try
        {
            holidays = HolidayCalendarImport.Parse(text);
        }
        catch (FormatException e)
        {
            throw ProblemException.Invalid("body", "The file is not a valid iCalendar file: " + e.Message);
        }
        var known = calendar.Holidays.Select(h => h.Date).ToHashSet();
        foreach (var (date, name) in holidays.Where(h => known.Add(h.Date)))
        {
            calendar.Holidays.Add(new WorkCalendarHoliday { Date = date, Name = name.Length > 200 ? name[..200] : name });
        }
        await db.SaveChangesAsync(ct);
        await SlaRecompute.RequestAsync(db, catalog, ct);
        return TypedResults.Ok(ToDto(calendar));
    }
}
