namespace Switchboard.Core.Model;

/// <summary>
/// "When <see cref="Trigger"/> happens to a ticket and <see cref="Conditions"/> hold, do <see cref="Actions"/>."
/// Rules run in <see cref="Position"/> order; one that stops processing ends the run for that event.
/// </summary>
public class AutomationRule
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public bool IsActive { get; set; } = true;
    public int Position { get; set; }
    /// <summary>ticket_created, customer_replied, agent_replied, note_added, status_changed, priority_changed, assignee_changed, department_changed, sla_warning, sla_breached, chat_started, chat_ended, chat_missed or time.</summary>
    public required string Trigger { get; set; }
    /// <summary>JSON: {"all":[...]} or {"any":[...]}, nested; leaves are {"field","op","value"}.</summary>
    public string Conditions { get; set; } = "{\"all\":[]}";
    /// <summary>JSON: a list of {"type", ...} actions, applied in order.</summary>
    public string Actions { get; set; } = "[]";
    /// <summary>For <c>time</c> rules, JSON: {"status","hours","since":"updatedAt"|"lastCustomerMessage"}.</summary>
    public string? TimeCondition { get; set; }
    /// <summary>Signs webhook bodies (HMAC-SHA256); never returned by the API.</summary>
    public string? WebhookSecret { get; set; }
    /// <summary>No later rule runs for the event once this one has fired.</summary>
    public bool StopProcessing { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
