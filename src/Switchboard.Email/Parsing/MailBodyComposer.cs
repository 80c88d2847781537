using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using MimeKit.Text;

namespace Switchboard.Email.Parsing;

/// <summary>
/// Turns the body chunks found in the MIME tree into what the agent sees: the text, the sanitized HTML,
/// and both without the quoted earlier conversation.
/// </summary>
internal static class MailBodyComposer
{
    public sealed record ComposedBody(
        string Text,
        string? Html,
        bool HasRemoteContent,
        string? TextWithoutQuote,
        string? HtmlWithoutQuote,
        IReadOnlySet<string> ReferencedContentIds);

    /// <summary>
    /// Plain text alone stays plain. HTML, or text interleaved with inline images, becomes one sanitized
    /// HTML document; the text is then the plain-text alternative, or else the HTML's visible text.
    /// </summary>
    public static ComposedBody Compose(MailContentExtractor extractor, CancellationToken cancellationToken)
    {
        var chunks = extractor.Body;
        var alternative = string.Join("\n\n", extractor.AlternativeTexts.Select(text => text.TrimEnd()));
        if (chunks.All(chunk => chunk.Kind == BodyChunkKind.Text))
        {
            return PlainText(string.Join("\n\n", chunks.Select(chunk => chunk.Content.TrimEnd())));
        }

        var markup = ToMarkup(chunks);
        cancellationToken.ThrowIfCancellationRequested();
        if (HtmlGuard.IsTooDeep(markup))
        {
            return PlainText(alternative.Length > 0 ? alternative : HtmlGuard.ToText(markup));
        }

        var document = MailHtmlSanitizer.Parse(markup);
        var quoted = QuoteDetector.MarkHtmlQuotes(document);
        var remote = MailHtmlSanitizer.SanitizeDocument(document, extractor.ContentLocations);
        var body = document.Body;
        var visibleText = body is null ? "" : HtmlText.FromNode(body);
        if (visibleText.Trim().Length == 0 && document.QuerySelector("img") is null && alternative.Trim().Length > 0)
        {
            // An HTML part that shows nothing (only a <title>, say) beside a real text part: show the text.
            return PlainText(alternative);
        }

        var text = extractor.AlternativeTexts.Count > 0 ? alternative
            : chunks.Any(chunk => chunk.Kind == BodyChunkKind.Html) ? visibleText
            : string.Join("\n\n", chunks.Where(chunk => chunk.Kind == BodyChunkKind.Text).Select(chunk => chunk.Content.TrimEnd()));

        string? htmlWithoutQuote = null;
        string? textWithoutQuote = null;
        if (quoted && body is not null && QuoteDetector.WithoutQuotes(body) is { } reply)
        {
            var replyText = HtmlText.FromNode(reply);
            if (replyText.Trim().Length > 0 && replyText.Length < visibleText.Length)
            {
                htmlWithoutQuote = reply.InnerHtml;
                // With a plain-text alternative the text is that part, so cut it in its own terms when possible.
                textWithoutQuote = extractor.AlternativeTexts.Count > 0 ? QuoteDetector.StripTextQuote(text) ?? replyText : replyText;
            }
        }

        textWithoutQuote ??= QuoteDetector.StripTextQuote(text);
        return new ComposedBody(text, body?.InnerHtml ?? "", remote, textWithoutQuote, htmlWithoutQuote, ReferencedContentIds(document));
    }

    private static ComposedBody PlainText(string text) =>
        new(text, null, false, QuoteDetector.StripTextQuote(text), null, new HashSet<string>());

    private static string ToMarkup(List<BodyChunk> chunks)
    {
        var html = new StringBuilder();
        foreach (var chunk in chunks)
        {
            html.Append(chunk.Kind switch
            {
                BodyChunkKind.Html => chunk.Content,
                BodyChunkKind.Image => $"<div><img src=\"cid:{WebUtility.HtmlEncode(chunk.Content)}\"></div>",
                _ => "<div>" + new TextToHtml { OutputHtmlFragment = true }.Convert(chunk.Content) + "</div>",
            });
        }

        return html.ToString();
    }

    /// <summary>The Content-IDs the sanitized HTML shows as images; those parts are inline, not files.</summary>
    private static HashSet<string> ReferencedContentIds(IHtmlDocument document)
    {
        var referenced = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var image in document.QuerySelectorAll("img[src]"))
        {
            var source = image.GetAttribute("src")!;
            if (source.StartsWith("cid:", StringComparison.OrdinalIgnoreCase))
            {
                referenced.Add(Uri.UnescapeDataString(source[4..]));
            }
        }

        return referenced;
    }
}
