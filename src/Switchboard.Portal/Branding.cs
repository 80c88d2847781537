using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;

namespace Switchboard.Portal;

/// <summary>The portal's name, logo and colours, kept as one instance setting.</summary>
public sealed record Branding(string Name, string? LogoUrl, string PrimaryColor, string AccentColor)
{
    public static readonly Branding Default = new("Help Center", null, "#1f5fbf", "#0f7a4a");
}

internal sealed partial class BrandingCache
{
    public const string SettingKey = "portal.branding";
    /// <summary>Other nodes see a change within this time; this node at once.</summary>
    private const long LifetimeMs = 30_000;

    private volatile Cached? _current;

    private sealed record Cached(Branding Branding, long LoadedAt);

    public async Task<Branding> GetAsync(SwitchboardDb db, CancellationToken ct)
    {
        if (_current is { } cached && Environment.TickCount64 - cached.LoadedAt < LifetimeMs) return cached.Branding;
        var json = await db.InstanceSettings.AsNoTracking().Where(s => s.Key == SettingKey).Select(s => s.Value).FirstOrDefaultAsync(ct);
        var branding = json is null ? Branding.Default : JsonSerializer.Deserialize<Branding>(json, JsonSerializerOptions.Web) ?? Branding.Default;
        _current = new Cached(branding, Environment.TickCount64);
        return branding;
    }

    public void Invalidate() => _current = null;

    /// <summary>Colours go into a style element, so only #rgb / #rrggbb pass.</summary>
    public static string Color(string? value, string field, string fallback)
    {
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        var v = value.Trim();
        return HexColor().IsMatch(v) ? v : throw ProblemException.Invalid(field, $"'{v}' is not a colour; use #rgb or #rrggbb.");
    }

    [GeneratedRegex("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
    private static partial Regex HexColor();
}
