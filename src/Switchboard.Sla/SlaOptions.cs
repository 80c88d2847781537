namespace Switchboard.Sla;

public sealed class SlaOptions
{
    public const string Section = "Sla";

    /// <summary>Statuses that stop the clock (waiting on the customer); a customer's reply starts it again.</summary>
    public string[] PauseStatuses { get; set; } = ["pending"];

    /// <summary>How often the worker looks for warnings and breaches that have come due.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Tickets handled per database round trip in a pass.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Tickets whose due times are recomputed per transaction after a policy or calendar change.</summary>
    public int RecomputeBatchSize { get; set; } = 2000;

    /// <summary>Run the warning/breach worker in this process.</summary>
    public bool RunWorker { get; set; } = true;
}

/// <summary>The three clocks a policy can set.</summary>
[Flags]
public enum SlaTargets
{
    None = 0,
    FirstResponse = 1,
    NextResponse = 2,
    Resolution = 4,
}
