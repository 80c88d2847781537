using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Switchboard.Tickets;

namespace Switchboard.Portal;

/// <summary>Markdown to safe HTML: raw HTML in the source is not passed through, and the output is sanitized anyway.</summary>
internal static partial class Markdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .DisableHtml()
        .Build();

    public static string ToHtml(string? markdown) =>
        string.IsNullOrWhiteSpace(markdown) ? "" : HtmlContent.Sanitize(Markdig.Markdown.ToHtml(markdown, Pipeline));

    public static string ToText(string? markdown) =>
        string.IsNullOrWhiteSpace(markdown) ? "" : Markdig.Markdown.ToPlainText(markdown, Pipeline).Trim();

    /// <summary>A URL-friendly name: lower-case letters and digits of any script joined by hyphens.</summary>
    public static string Slug(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c)) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
            if (sb.Length >= 80) break;
        }
        var slug = sb.ToString().Trim('-');
        return slug.Length == 0 ? "article" : slug;
    }

    /// <summary>Plain text from a customer (forum, feedback) as HTML paragraphs; encoded, then sanitized for good measure.</summary>
    public static string PlainToHtml(string text)
    {
        var paragraphs = ParagraphBreak().Split(text.Trim())
            .Where(p => p.Length > 0)
            .Select(p => "<p>" + System.Net.WebUtility.HtmlEncode(p).Replace("\n", "<br>", StringComparison.Ordinal) + "</p>");
        return HtmlContent.Sanitize(string.Concat(paragraphs));
    }

    /// <summary>Text of stored HTML with its paragraphs and line breaks kept.</summary>
    public static string HtmlToText(string html) =>
        HtmlContent.ToText(html.Replace("</p>", "</p>\n\n", StringComparison.OrdinalIgnoreCase).Replace("<br>", "\n", StringComparison.OrdinalIgnoreCase)).Trim();

    [GeneratedRegex(@"\r?\n\s*\r?\n")]
    private static partial Regex ParagraphBreak();
}
