using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Ganss.Xss;
using MimeKit.Text;

namespace Switchboard.Email.Parsing;

/// <summary>The sanitized HTML and whether anything remote had to be blocked to make it so.</summary>
internal sealed record SanitizedHtml(string Html, bool HasRemoteContent);

/// <summary>
/// Makes mail HTML safe to show inside the agent's page: no script or event handlers, no javascript:,
/// vbscript: or data: URLs, no forms, and nothing that loads from the network until the agent allows
/// it. Remote images keep their address in <c>data-remote-src</c> so the UI can load them on request;
/// inline images stay as <c>cid:</c> references; links open in a new tab without a referrer.
/// </summary>
internal static class MailHtmlSanitizer
{
    /// <summary>Where a blocked remote image address is kept.</summary>
    public const string RemoteSourceAttribute = Tickets.HtmlContent.RemoteSourceAttribute;

    /// <summary>Marks where the quoted earlier conversation begins (see <see cref="QuoteDetector"/>).</summary>
    public const string QuoteAttribute = Tickets.HtmlContent.QuoteAttribute;

    private static readonly string[] RemovedWithContent =
    [
        "script", "style", "head", "title", "template", "noscript", "iframe", "frame", "frameset", "object",
        "embed", "applet", "svg", "math", "link", "meta", "base", "audio", "video", "source", "track",
        "canvas", "xml", "select", "textarea", "button",
    ];

    private static readonly string[] UnwrappedTags =
    [
        "form", "input", "option", "optgroup", "label", "fieldset", "legend", "datalist", "output", "keygen",
        "menuitem", "map", "area",
    ];

    private static readonly string[] RemovedAttributes =
    [
        "action", "formaction", "contenteditable", "draggable", "dropzone", "tabindex", "accesskey", "autosave",
        "longdesc", "usemap", "ismap",
    ];

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>Sanitizes an HTML document or fragment.</summary>
    public static SanitizedHtml Sanitize(string html)
    {
        if (HtmlGuard.IsTooDeep(html))
        {
            return new SanitizedHtml(new TextToHtml { OutputHtmlFragment = true }.Convert(HtmlGuard.ToText(html)), false);
        }

        var document = Parse(html);
        RemoveQuoteMarkers(document);
        var remote = SanitizeDocument(document, contentLocations: null);
        return new SanitizedHtml(document.Body?.InnerHtml ?? "", remote);
    }

    /// <summary>Parses HTML the way the sanitizer needs it (with CSS support, so styles survive).</summary>
    public static IHtmlDocument Parse(string html) =>
        HtmlSanitizer.DefaultHtmlParserFactory().ParseDocument(html);

    /// <summary>
    /// Sanitizes a parsed document in place and returns whether remote content was blocked. Quote markers
    /// set by <see cref="QuoteDetector"/> survive; call <see cref="RemoveQuoteMarkers"/> first otherwise.
    /// <paramref name="contentLocations"/> maps Content-Location values of related parts to their Content-ID,
    /// so that images referenced by location are shown as inline images.
    /// </summary>
    public static bool SanitizeDocument(IHtmlDocument document, IReadOnlyDictionary<string, string>? contentLocations)
    {
        var remote = RemoveActiveContent(document);
        RewriteContentLocations(document, contentLocations);
        if (document.Body is { } body)
        {
            Sanitizer.SanitizeDom(document, body);
            remote |= BlockRemoteContent(body);
        }

        return remote;
    }

    /// <summary>A quote marker must come from the quote detector, never from the sender.</summary>
    public static void RemoveQuoteMarkers(IHtmlDocument document)
    {
        foreach (var element in document.QuerySelectorAll($"[{QuoteAttribute}]").ToList())
        {
            element.RemoveAttribute(QuoteAttribute);
        }
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer { KeepChildNodes = true };
        foreach (var tag in RemovedWithContent.Concat(UnwrappedTags))
        {
            sanitizer.AllowedTags.Remove(tag);
        }

        foreach (var attribute in RemovedAttributes)
        {
            sanitizer.AllowedAttributes.Remove(attribute);
        }

        sanitizer.AllowedAttributes.Add(QuoteAttribute);
        sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in new[] { "http", "https", "mailto", "tel", "cid" })
        {
            sanitizer.AllowedSchemes.Add(scheme);
        }

        // Positioned content could cover the agent's own interface.
        sanitizer.AllowedCssProperties.Remove("position");
        sanitizer.AllowedCssProperties.Remove("z-index");
        return sanitizer;
    }

    /// <summary>Drops elements whose content must not show or run, noting remote stylesheets.</summary>
    private static bool RemoveActiveContent(IHtmlDocument document)
    {
        var remote = false;
        foreach (var element in document.QuerySelectorAll(string.Join(',', RemovedWithContent)).ToList())
        {
            if (element.LocalName is "link" && IsRemote(element.GetAttribute("href")))
            {
                remote = true;
            }
            else if (element.LocalName is "style" && element.TextContent.Contains("url(", StringComparison.OrdinalIgnoreCase))
            {
                remote |= element.TextContent.Contains("http", StringComparison.OrdinalIgnoreCase) || element.TextContent.Contains("//", StringComparison.Ordinal);
            }

            element.Remove();
        }

        return remote;
    }

    private static void RewriteContentLocations(IHtmlDocument document, IReadOnlyDictionary<string, string>? contentLocations)
    {
        foreach (var image in document.QuerySelectorAll("img[src]"))
        {
            var source = image.GetAttribute("src")!.Trim();
            if (source.StartsWith("cid:", StringComparison.OrdinalIgnoreCase))
            {
                image.SetAttribute("src", "cid:" + source[4..]);
            }
            else if (contentLocations is not null && contentLocations.TryGetValue(source, out var contentId))
            {
                image.SetAttribute("src", "cid:" + contentId);
            }
        }
    }

    /// <summary>After sanitizing: parks remote image addresses, drops remote CSS and fixes up links.</summary>
    private static bool BlockRemoteContent(IElement body)
    {
        var remote = false;
        foreach (var element in body.QuerySelectorAll("*"))
        {
            if (element.LocalName is "img")
            {
                var source = element.GetAttribute("src");
                if (source is not null && !source.StartsWith("cid:", StringComparison.OrdinalIgnoreCase))
                {
                    element.RemoveAttribute("src");
                    if (IsRemote(source))
                    {
                        element.SetAttribute(RemoteSourceAttribute, source);
                        remote = true;
                    }
                }

                if (element.HasAttribute("srcset"))
                {
                    element.RemoveAttribute("srcset");
                    remote = true;
                }
            }

            if (element.GetAttribute("background") is { } background)
            {
                element.RemoveAttribute("background");
                remote |= IsRemote(background);
            }

            if (element.GetAttribute("style") is { } style && style.Contains("url(", StringComparison.OrdinalIgnoreCase))
            {
                var kept = RemoveUrlDeclarations(style, out var removedRemote);
                remote |= removedRemote;
                if (kept.Length == 0)
                {
                    element.RemoveAttribute("style");
                }
                else
                {
                    element.SetAttribute("style", kept);
                }
            }

            if (element.LocalName is "a")
            {
                FixLink(element);
            }
        }

        return remote;
    }

    private static void FixLink(IElement link)
    {
        var href = link.GetAttribute("href")?.Trim();
        if (href is null)
        {
            return;
        }

        var allowed = href.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || href.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)
            || href.StartsWith("tel:", StringComparison.OrdinalIgnoreCase);
        if (!allowed)
        {
            link.RemoveAttribute("href");
            return;
        }

        link.SetAttribute("rel", "noopener noreferrer nofollow");
        link.SetAttribute("target", "_blank");
    }

    private static bool IsRemote(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }

        var trimmed = url.Trim();
        return trimmed.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("//", StringComparison.Ordinal);
    }

    /// <summary>Removes every declaration that contains url(...) other than cid: references.</summary>
    private static string RemoveUrlDeclarations(string style, out bool removedRemote)
    {
        removedRemote = false;
        var kept = new StringBuilder();
        foreach (var declaration in SplitDeclarations(style))
        {
            var trimmed = declaration.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (trimmed.Contains("url(", StringComparison.OrdinalIgnoreCase))
            {
                var onlyCid = trimmed.Contains("url(\"cid:", StringComparison.OrdinalIgnoreCase)
                    || trimmed.Contains("url(cid:", StringComparison.OrdinalIgnoreCase)
                    || trimmed.Contains("url('cid:", StringComparison.OrdinalIgnoreCase);
                if (!onlyCid)
                {
                    removedRemote = true;
                }

                continue;
            }

            if (kept.Length > 0)
            {
                kept.Append("; ");
            }

            kept.Append(trimmed);
        }

        return kept.ToString();
    }

    /// <summary>Splits a style attribute at semicolons outside quotes and parentheses.</summary>
    private static IEnumerable<string> SplitDeclarations(string style)
    {
        var depth = 0;
        var quote = '\0';
        var start = 0;
        for (var i = 0; i < style.Length; i++)
        {
            var c = style[i];
            if (quote != '\0')
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            switch (c)
            {
                case '"' or '\'':
                    quote = c;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ';' when depth == 0:
                    yield return style[start..i];
                    start = i + 1;
                    break;
                default:
                    break;
            }
        }

        yield return style[start..];
    }
}
