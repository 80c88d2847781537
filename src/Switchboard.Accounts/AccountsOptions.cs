using System.ComponentModel.DataAnnotations;

namespace Switchboard.Accounts;

public sealed class AccountsOptions
{
    public const string Section = "Switchboard:Accounts";

    /// <summary>Failed sign-ins in a row before the account is locked.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(7);

    [Range(8, 200)]
    public int MinPasswordLength { get; set; } = 10;
}

/// <summary>The first administrator, created at start-up when the instance has no agent yet.</summary>
public sealed class AdminBootstrapOptions
{
    public const string Section = "Switchboard:Admin";
    public string? Email { get; set; }
    public string? Password { get; set; }
    public string Name { get; set; } = "Administrator";
}
