using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Portal;

public sealed record BrandingRequest(string? Name, string? LogoUrl, string? PrimaryColor, string? AccentColor);

/// <summary>The portal's name, logo and colours (administrators change them).</summary>
internal static class BrandingApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var branding = api.MapGroup("/portal/branding").WithTags("Portal").RequireAuthorization(Policies.Agent);
        branding.MapGet("/", GetAsync);
        branding.MapPut("/", PutAsync).RequireAuthorization(Policies.Admin);
    }

    private static async Task<Ok<Branding>> GetAsync(SwitchboardDb db, BrandingCache cache, CancellationToken ct) =>
        TypedResults.Ok(await cache.GetAsync(db, ct));

    private static async Task<Ok<Branding>> PutAsync(BrandingRequest request, SwitchboardDb db, BrandingCache cache, CancellationToken ct)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100) throw ProblemException.Invalid("name", "The portal needs a name of 1 to 100 characters.");
        string? logo = null;
        if (!string.IsNullOrWhiteSpace(request.LogoUrl))
        {
            var value = request.LogoUrl.Trim();
            var ok = (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
                || (value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal));
            if (!ok || value.Length > 1000) throw ProblemException.Invalid("logoUrl", "The logo must be an http(s) URL or a path on this site.");
            logo = value;
        }
        var branding = new Branding(name, logo,
            BrandingCache.Color(request.PrimaryColor, "primaryColor", Branding.Default.PrimaryColor),
            BrandingCache.Color(request.AccentColor, "accentColor", Branding.Default.AccentColor));
        var json = JsonSerializer.Serialize(branding, JsonSerializerOptions.Web);
        var setting = await db.InstanceSettings.FirstOrDefaultAsync(s => s.Key == BrandingCache.SettingKey, ct);
        if (setting is null) db.InstanceSettings.Add(new InstanceSetting { Key = BrandingCache.SettingKey, Value = json });
        else setting.Value = json;
        await db.SaveChangesAsync(ct);
        cache.Invalidate();
        return TypedResults.Ok(branding);
    }
}
