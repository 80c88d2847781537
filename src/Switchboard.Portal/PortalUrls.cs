using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Switchboard.Portal;

/// <summary>Links inside the portal: relative ones for pages, absolute ones (from Switchboard:PublicUrl) for mail, canonical links and the sitemap.</summary>
internal sealed class PortalUrls(IOptions<PortalOptions> options, IConfiguration configuration)
{
    public string Base { get; } = options.Value.Path;

    /// <summary>The site's public origin without a trailing slash.</summary>
    public string PublicOrigin { get; } =
        (configuration["Switchboard:PublicUrl"] ?? configuration["urls"]?.Split(';')[0] ?? "http://localhost:5000").TrimEnd('/');

    public string Path(string relative) => Base + relative;

    public string Absolute(string relative) => PublicOrigin + Base + relative;

    public static string Article(long id, string slug, string? language = null) =>
        $"/kb/articles/{id}/{slug}" + (language is null or "en" ? "" : "?lang=" + Uri.EscapeDataString(language));

    public static string Category(long id, string slug) => $"/kb/categories/{id}/{slug}";
}
