namespace Switchboard.Automation;

public sealed class AutomationOptions
{
    public const string Section = "Automation";

    /// <summary>Run the automation worker (events and time rules) in this process.</summary>
    public bool RunWorker { get; set; } = true;

    /// <summary>How often time rules ("pending for 3 days") are looked at.</summary>
    public TimeSpan TimeRuleInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the event log is read when no save in this process signalled new events (changes made on other nodes).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Events handled per transaction.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Automatic replies a ticket may receive per hour; more would be a mail loop with another robot.</summary>
    public int AutoRepliesPerTicketPerHour { get; set; } = 3;

    /// <summary>Allow webhooks to loopback, private, link-local and metadata addresses (only for trusted, internal receivers).</summary>
    public bool AllowPrivateWebhookTargets { get; set; }

    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often auto-assignment looks for waiting tickets when nothing in this process woke it (changes on other nodes).</summary>
    public TimeSpan AssignmentInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Tickets auto-assigned per department and pass.</summary>
    public int AssignmentBatchSize { get; set; } = 100;
}
