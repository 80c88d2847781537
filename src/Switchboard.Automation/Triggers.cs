namespace Switchboard.Automation;

/// <summary>What makes a rule run: a kind of ticket event, or the passing of time.</summary>
internal static class Triggers
{
    public const string Time = "time";

    /// <summary>Trigger name → the ticket event type that raises it.</summary>
    private static readonly Dictionary<string, string> EventTypes = new(StringComparer.Ordinal)
    {
        ["ticket_created"] = "created",
        ["customer_replied"] = "customer_replied",
        ["agent_replied"] = "replied",
        ["note_added"] = "note_added",
        ["status_changed"] = "status_changed",
        ["priority_changed"] = "priority_changed",
        ["assignee_changed"] = "assignee_changed",
        ["department_changed"] = "department_changed",
        ["sla_warning"] = "sla_warning",
        ["sla_breached"] = "sla_breached",
        ["chat_started"] = "chat_started",
        ["chat_ended"] = "chat_ended",
        ["chat_missed"] = "chat_missed",
    };

    private static readonly Dictionary<string, string> ByEventType = EventTypes.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> All { get; } = [.. EventTypes.Keys, Time];

    public static bool IsKnown(string trigger) => trigger == Time || EventTypes.ContainsKey(trigger);

    /// <summary>The trigger a ticket event raises, or null for events no rule listens to (tags, SLA policy changes, rule actions).</summary>
    public static string? ForEvent(string eventType) => ByEventType.GetValueOrDefault(eventType);
}
