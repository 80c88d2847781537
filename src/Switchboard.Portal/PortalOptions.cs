using System.ComponentModel.DataAnnotations;

namespace Switchboard.Portal;

/// <summary>The customer portal's settings (section <c>Portal</c>).</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>Where the portal is served, e.g. <c>/portal</c> or <c>/help</c>.</summary>
    [Required, RegularExpression("^/[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$", ErrorMessage = "Portal:Path must look like /portal.")]
    public string Path { get; set; } = "/portal";

    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(14);

    public TimeSpan VerificationLifetime { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan ResetLifetime { get; set; } = TimeSpan.FromHours(1);

    [Range(8, 200)]
    public int MinPasswordLength { get; set; } = 10;

    /// <summary>Sign-up, sign-in and reset requests per client address per minute.</summary>
    [Range(1, int.MaxValue)]
    public int AccountRequestsPerMinute { get; set; } = 10;

    /// <summary>Searches and suggestions per client address per minute.</summary>
    [Range(1, int.MaxValue)]
    public int SearchesPerMinute { get; set; } = 120;

    /// <summary>Form submissions, votes, posts and comments per client address per minute.</summary>
    [Range(1, int.MaxValue)]
    public int PostsPerMinute { get; set; } = 20;

    /// <summary>How often article view counts kept in memory are written to the database.</summary>
    public TimeSpan ViewFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Languages articles may be written in; the first is the default.</summary>
    [MinLength(1)]
    public string[] Languages { get; set; } = ["en", "fil", "zh-Hans"];
}
