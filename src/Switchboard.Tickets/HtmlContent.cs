using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace Switchboard.Tickets;

/// <summary>
/// HTML from customers and agents is untrusted: scripts, event handlers, <c>javascript:</c> URLs
/// and remote loads through CSS are removed before it is stored.
/// </summary>
public static class HtmlContent
{
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedSchemes.Add("tel");
        sanitizer.AllowedSchemes.Add("cid");
        sanitizer.AllowDataAttributes = false;
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedTags.Remove("form");
        sanitizer.AllowedTags.Remove("input");
        sanitizer.AllowedTags.Remove("button");
        sanitizer.AllowedTags.Remove("textarea");
        sanitizer.AllowedTags.Remove("select");
        return sanitizer;
    }

    public static string Sanitize(string html) => Sanitizer.Sanitize(html);

    /// <summary>Marks the quoted earlier mail in email HTML, which the workspace shows folded.</summary>
    public const string QuoteAttribute = "data-sb-quote";

    /// <summary>Where email HTML keeps the address of a remote image that was not loaded.</summary>
    public const string RemoteSourceAttribute = "data-remote-src";

    /// <summary>
    /// Puts back the remote images of stored email HTML (kept aside in <see cref="RemoteSourceAttribute"/>),
    /// for an agent who chose to load them: only http and https addresses, nothing else changes.
    /// </summary>
    public static string WithRemoteImages(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        if (!html.Contains(RemoteSourceAttribute, StringComparison.Ordinal)) return html;
        var document = new HtmlParser().ParseDocument("<body>" + html);
        foreach (var image in document.QuerySelectorAll($"img[{RemoteSourceAttribute}]"))
        {
            var address = image.GetAttribute(RemoteSourceAttribute);
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            {
                image.SetAttribute("src", uri.AbsoluteUri);
                image.SetAttribute("referrerpolicy", "no-referrer");
                image.RemoveAttribute(RemoteSourceAttribute);
            }
        }
        return document.Body?.InnerHtml ?? html;
    }

    /// <summary>The visible text of an HTML fragment, for search and for channels without HTML.</summary>
    public static string ToText(string html)
    {
        var document = new HtmlParser().ParseDocument("<body>" + html);
        return (document.Body?.TextContent ?? "").Trim();
    }
}
