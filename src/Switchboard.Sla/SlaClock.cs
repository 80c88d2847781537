using Switchboard.Core.Model;
using Switchboard.Sla.BusinessHours;

namespace Switchboard.Sla;

/// <summary>
/// Keeps a ticket's due times current. Targets count working time of the calendar that applies;
/// a paused clock (e.g. pending on the customer) shifts every open due time by the working time
/// the pause lasted. Each function only touches the ticket's SLA fields.
/// </summary>
public static class SlaClock
{
    /// <summary>Applies <paramref name="policy"/> from the ticket's creation (null removes any SLA).</summary>
    public static void Start(Ticket ticket, SlaPolicy? policy, BusinessCalendar calendar, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(calendar);
        ticket.SlaPolicyId = policy?.Id;
        ticket.FirstResponseDueAt = ticket.FirstResponseWarnAt = null;
        ticket.ResolutionDueAt = ticket.ResolutionWarnAt = null;
        if (policy is null)
        {
            ticket.NextResponseDueAt = ticket.NextResponseWarnAt = null;
            ticket.SlaStatus = SlaStatus.None;
            ticket.SlaNextCheckAt = null;
            SetDueAt(ticket);
            return;
        }
        var firstResponse = ticket.Channel == Channel.Chat && policy.ChatFirstAnswerSeconds is { } chat
            ? TimeSpan.FromSeconds(chat)
            : Minutes(policy.FirstResponseMinutes);
        if (ticket.FirstResponseAt is null && firstResponse is { } fr)
        {
            (ticket.FirstResponseDueAt, ticket.FirstResponseWarnAt) = DueAndWarning(calendar, ticket.CreatedAt, fr, policy.WarningPercent);
        }
        if (ticket.ResolvedAt is null && Minutes(policy.ResolutionMinutes) is { } resolution)
        {
            (ticket.ResolutionDueAt, ticket.ResolutionWarnAt) = DueAndWarning(calendar, ticket.CreatedAt, resolution, policy.WarningPercent);
        }
        if (ticket.NextResponseDueAt is not null && Minutes(policy.NextResponseMinutes) is null)
        {
            ticket.NextResponseDueAt = ticket.NextResponseWarnAt = null;
        }
        Settle(ticket, now);
        SetDueAt(ticket);
    }

    /// <summary>A customer wrote: the next response is due a next-response target from now.</summary>
    public static void CustomerReplied(Ticket ticket, SlaPolicy? policy, BusinessCalendar calendar, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(calendar);
        if (policy is null || ticket.FirstResponseAt is null) return; // the first response clock still runs
        if (Minutes(policy.NextResponseMinutes) is { } next && ticket.NextResponseDueAt is null)
        {
            (ticket.NextResponseDueAt, ticket.NextResponseWarnAt) = DueAndWarning(calendar, at, next, policy.WarningPercent);
            ticket.SlaBreached &= ~(int)SlaTargets.NextResponse;
            ticket.SlaWarned &= ~(int)SlaTargets.NextResponse;
        }
        Settle(ticket, at);
        SetDueAt(ticket);
    }

    /// <summary>An agent answered publicly: the first and next response are met.</summary>
    public static void AgentReplied(Ticket ticket, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ticket.FirstResponseDueAt = ticket.FirstResponseWarnAt = null;
        ticket.NextResponseDueAt = ticket.NextResponseWarnAt = null;
        Settle(ticket, at);
        SetDueAt(ticket);
    }

    public static void Pause(Ticket ticket, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.SlaPolicyId is null || ticket.SlaPausedAt is not null) return;
        ticket.SlaPausedAt = at;
        ticket.SlaStatus = SlaStatus.Paused;
        ticket.SlaNextCheckAt = null;
    }

    /// <summary>Moves every open due and warning time later by the working time the pause lasted.</summary>
    public static void Resume(Ticket ticket, BusinessCalendar calendar, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(calendar);
        if (ticket.SlaPausedAt is not { } pausedAt) return;
        ticket.SlaPausedAt = null;
        ticket.FirstResponseDueAt = Shift(calendar, ticket.FirstResponseDueAt, pausedAt, at);
        ticket.FirstResponseWarnAt = Shift(calendar, ticket.FirstResponseWarnAt, pausedAt, at);
        ticket.NextResponseDueAt = Shift(calendar, ticket.NextResponseDueAt, pausedAt, at);
        ticket.NextResponseWarnAt = Shift(calendar, ticket.NextResponseWarnAt, pausedAt, at);
        ticket.ResolutionDueAt = Shift(calendar, ticket.ResolutionDueAt, pausedAt, at);
        ticket.ResolutionWarnAt = Shift(calendar, ticket.ResolutionWarnAt, pausedAt, at);
        Settle(ticket, at);
        SetDueAt(ticket);
    }

    /// <summary>Resolved, closed or spam: nothing more is due.</summary>
    public static void Stop(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ticket.SlaPausedAt = null;
        ticket.FirstResponseDueAt = ticket.FirstResponseWarnAt = null;
        ticket.NextResponseDueAt = ticket.NextResponseWarnAt = null;
        ticket.ResolutionWarnAt = null;
        ticket.SlaNextCheckAt = null;
        ticket.SlaStatus = ticket.SlaPolicyId is null ? SlaStatus.None : ticket.SlaBreached != 0 ? SlaStatus.Breached : SlaStatus.Met;
        ticket.SlaDueAt = Ticket.NothingDue;
    }

    /// <summary>The inbox's urgency key: the nearest due time of the running targets.</summary>
    private static void SetDueAt(Ticket ticket)
    {
        var due = Ticket.NothingDue;
        foreach (var (_, d, _) in Clocks(ticket))
        {
            if (d is { } value && value < due) due = value;
        }
        ticket.SlaDueAt = due;
    }

    /// <summary>
    /// Records which warnings and breaches have come due at <paramref name="now"/> (each once) and
    /// returns them, so the caller can announce them; sets the next time to look.
    /// </summary>
    public static (SlaTargets Warnings, SlaTargets Breaches) Check(Ticket ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var warnings = SlaTargets.None;
        var breaches = SlaTargets.None;
        if (ticket.SlaPausedAt is not null) return (warnings, breaches);
        foreach (var (target, due, warn) in Clocks(ticket))
        {
            if (due is { } d && d <= now && (ticket.SlaBreached & (int)target) == 0)
            {
                breaches |= target;
                ticket.SlaBreached |= (int)target;
            }
            else if (warn is { } w && w <= now && (ticket.SlaWarned & (int)target) == 0 && (ticket.SlaBreached & (int)target) == 0)
            {
                warnings |= target;
                ticket.SlaWarned |= (int)target;
            }
        }
        Settle(ticket, now);
        return (warnings, breaches);
    }

    /// <summary>Status and next check time from the due times and what has been announced.</summary>
    private static void Settle(Ticket ticket, DateTimeOffset now)
    {
        if (ticket.SlaPolicyId is null) return;
        if (ticket.SlaPausedAt is not null)
        {
            ticket.SlaStatus = SlaStatus.Paused;
            ticket.SlaNextCheckAt = null;
            return;
        }
        DateTimeOffset? next = null;
        var breachedOpen = false;
        var warnedOpen = false;
        foreach (var (target, due, warn) in Clocks(ticket))
        {
            if (due is null) continue;
            var breached = (ticket.SlaBreached & (int)target) != 0;
            var warned = (ticket.SlaWarned & (int)target) != 0;
            breachedOpen |= breached;
            warnedOpen |= warned || (warn is { } w0 && w0 <= now);
            var candidate = breached ? (DateTimeOffset?)null : !warned && warn is { } w && w > now ? w : due;
            if (candidate is { } c && (next is null || c < next)) next = c;
        }
        ticket.SlaNextCheckAt = next;
        // A breach stays on the record; otherwise the most urgent state of the running clocks.
        ticket.SlaStatus = breachedOpen || ticket.SlaBreached != 0 ? SlaStatus.Breached
            : warnedOpen ? SlaStatus.Warning
            : next is null ? SlaStatus.Met
            : SlaStatus.Active;
    }

    private static IEnumerable<(SlaTargets Target, DateTimeOffset? Due, DateTimeOffset? Warn)> Clocks(Ticket t)
    {
        yield return (SlaTargets.FirstResponse, t.FirstResponseDueAt, t.FirstResponseWarnAt);
        yield return (SlaTargets.NextResponse, t.NextResponseDueAt, t.NextResponseWarnAt);
        yield return (SlaTargets.Resolution, t.ResolutionDueAt, t.ResolutionWarnAt);
    }

    private static (DateTimeOffset? Due, DateTimeOffset? Warn) DueAndWarning(BusinessCalendar calendar, DateTimeOffset from, TimeSpan target, int warningPercent)
    {
        var due = calendar.AddWorkingTime(from, target);
        var share = Math.Clamp(warningPercent, 1, 99) / 100.0;
        var warn = calendar.AddWorkingTime(from, TimeSpan.FromTicks((long)(target.Ticks * share)));
        return (due, warn);
    }

    private static DateTimeOffset? Shift(BusinessCalendar calendar, DateTimeOffset? time, DateTimeOffset pausedAt, DateTimeOffset resumedAt)
    {
        if (time is not { } t || t <= pausedAt) return time;
        return calendar.AddWorkingTime(resumedAt, calendar.WorkingTimeBetween(pausedAt, t)) ?? t;
    }

    private static TimeSpan? Minutes(int? minutes) => minutes is { } m && m > 0 ? TimeSpan.FromMinutes(m) : null;
}
