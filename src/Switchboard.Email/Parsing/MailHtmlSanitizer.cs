using System.Text;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
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
/// Inline styles are kept (mail is laid out with them), checked declaration by declaration here
/// rather than by a CSS parser: the parser is built without CSS support, because parsing every
/// style attribute and style sheet of a mail was most of the cost of sanitising it (ADR-0004).
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

    /// <summary>Functions in a CSS value that make the browser load something.</summary>
    private static readonly string[] LoadingFunctions = ["url(", "image(", "image-set(", "cross-fade(", "element(", "src("];

    /// <summary>Words that run code or attach behaviour in some browser's CSS.</summary>
    private static readonly string[] ActiveWords = ["expression", "javascript:", "vbscript:", "behavior", "binding", "@import"];

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>A parser per thread (mail is parsed on every core); without CSS support (see the class summary).</summary>
    private static readonly ThreadLocal<HtmlParser> Parser = new(() => new HtmlParser(new HtmlParserOptions(), BrowsingContext.New(Configuration.Default)));

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

    /// <summary>Parses HTML the way the sanitizer needs it: without CSS support; <see cref="SanitizeDocument"/> checks inline styles itself.</summary>
    public static IHtmlDocument Parse(string html) => Parser.Value!.ParseDocument(html);

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
            // The sanitizer would need a CSS parser for style attributes: they are set aside, and only
            // those of elements it keeps come back, with only the declarations that pass CleanStyle.
            var styles = new List<(IElement Element, string Style)>();
            foreach (var element in body.QuerySelectorAll("[style]"))
            {
                styles.Add((element, element.GetAttribute("style")!));
                element.RemoveAttribute("style");
            }

            Sanitizer.SanitizeDom(document, body);
            foreach (var (element, style) in styles)
            {
                if (!body.Contains(element))
                {
                    continue;
                }

                var kept = CleanStyle(style, out var removedRemote);
                remote |= removedRemote;
                if (kept.Length > 0)
                {
                    element.SetAttribute("style", kept);
                }
            }

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

    /// <summary>
    /// The declarations of a style attribute that are safe to show: a property the sanitizer allows
    /// (<see cref="HtmlSanitizer.AllowedCssProperties"/>), a value without escapes, comments, markup,
    /// anything that runs code or anything that loads (<c>url(</c>, <c>image-set(</c>...).
    /// Escapes and comments are refused outright rather than decoded: they are how filters like this one
    /// are evaded (<c>ex/**/pression</c>, <c>u\72l(</c>), and mail written by people does not need them.
    /// </summary>
    internal static string CleanStyle(string style, out bool removedRemote)
    {
        removedRemote = false;
        var kept = new StringBuilder();
        foreach (var declaration in SplitDeclarations(style))
        {
            var colon = declaration.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = declaration[..colon].Trim().ToLowerInvariant();
            var value = declaration[(colon + 1)..].Trim();
            if (value.Length == 0 || !IsPropertyName(name) || !Sanitizer.AllowedCssProperties.Contains(name))
            {
                continue;
            }

            if (value.Contains('\\', StringComparison.Ordinal) || value.Contains("/*", StringComparison.Ordinal) || value.Contains('<', StringComparison.Ordinal)
                || value.Contains('>', StringComparison.Ordinal) || value.Contains("&{", StringComparison.Ordinal))
            {
                continue;
            }

            var folded = Fold(value);
            if (ActiveWords.Any(word => folded.Contains(word, StringComparison.Ordinal)))
            {
                continue;
            }

            // As for CSS from the sanitizer before: nothing in a style loads, not even a part of the mail.
            if (LoadingFunctions.Any(function => folded.Contains(function, StringComparison.Ordinal)))
            {
                removedRemote |= folded.Contains("http", StringComparison.Ordinal) || folded.Contains("//", StringComparison.Ordinal);
                continue;
            }

            if (kept.Length > 0)
            {
                kept.Append("; ");
            }

            kept.Append(name).Append(": ").Append(value);
        }

        return kept.ToString();
    }

    private static bool IsPropertyName(string name) => name.Length > 0 && name.All(c => c is (>= 'a' and <= 'z') or '-');

    /// <summary>
    /// Lower case, compatibility forms folded (full-width letters) and the small capitals old
    /// Internet Explorer read as letters (<c>ʀ ɪ ɴ ʟ</c>), so no spelling of a word slips past.
    /// </summary>
    private static string Fold(string value) => value.Normalize(NormalizationForm.FormKC).ToLowerInvariant()
        .Replace('\u0280', 'r').Replace('\u026A', 'i').Replace('\u0274', 'n').Replace('\u029F', 'l');

    /// <summary>Removes every declaration that contains url(...); only those other than cid: references count as remote.</summary>
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
