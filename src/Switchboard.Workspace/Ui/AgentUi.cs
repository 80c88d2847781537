using System.Globalization;
using Switchboard.Core.Model;

namespace Switchboard.Workspace.Ui;

/// <summary>The signed-in agent's display settings: language of the interface and the time zone every time is shown in.</summary>
public sealed record AgentUi(long Id, string Name, string Language, string TimeZone, AgentAvailability Availability)
{
    public static readonly AgentUi Default = new(0, "", "en", "UTC", AgentAvailability.Offline);

    private TimeZoneInfo Zone { get; } = TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    public CultureInfo Culture { get; } = Language switch
    {
        "fil" => CultureInfo.GetCultureInfo("fil-PH"),
        "zh-Hans" => CultureInfo.GetCultureInfo("zh-CN"),
        _ => CultureInfo.GetCultureInfo("en-US"),
    };

    /// <summary>The html lang attribute.</summary>
    public string LangTag => Language switch { "fil" => "fil", "zh-Hans" => "zh-Hans", _ => "en" };

    public string T(string text) => Texts.Get(Language, text);

    public DateTimeOffset Local(DateTimeOffset at) => System.TimeZoneInfo.ConvertTime(at, Zone);

    /// <summary>Date and time in the agent's zone and language, e.g. "3/2/2026 9:05 AM".</summary>
    public string When(DateTimeOffset at) => Local(at).ToString("g", Culture);

    public string When(DateTimeOffset? at) => at is { } value ? When(value) : "";

    /// <summary>Machine-readable for the time element's datetime attribute.</summary>
    public static string Iso(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>"in 2 h 5 min" or "4 min ago", in the agent's language.</summary>
    public string Relative(DateTimeOffset at, DateTimeOffset now)
    {
        var span = at - now;
        var abs = span.Duration();
        var amount = abs.TotalMinutes < 60 ? $"{Math.Max(1, (int)abs.TotalMinutes)} {T("min")}"
            : abs.TotalHours < 48 ? $"{(int)abs.TotalHours} {T("h")} {abs.Minutes} {T("min")}"
            : $"{(int)abs.TotalDays} {T("d")}";
        return span >= TimeSpan.Zero ? string.Format(Culture, T("in {0}"), amount) : string.Format(Culture, T("{0} ago"), amount);
    }

    public string Status(TicketStatus status) => T(status.ToString());

    public string Priority(TicketPriority priority) => T(priority.ToString());

    public string ChannelName(Channel channel) => T(channel.ToString());
}
