using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace Switchboard.Email.Parsing;

/// <summary>
/// Finds where a reply stops and the quoted earlier conversation begins, so that the ticket view can
/// collapse it. Heuristics for the common clients (Gmail, Outlook, Apple Mail, Thunderbird, QQ/Foxmail)
/// in English, German, French, Spanish, Italian, Dutch, Portuguese, Chinese, Japanese and Filipino.
/// </summary>
internal static partial class QuoteDetector
{
    /// <summary>Quote elements that hold only the quote: removing them leaves the reply.</summary>
    private const string QuoteBlocks =
        "blockquote[type=cite], .gmail_quote, .gmail_quote_container, .yahoo_quoted, .protonmail_quote, .moz-cite-prefix, .moz-forward-container";

    /// <summary>Elements after which everything is the earlier conversation (Outlook, Zimbra).</summary>
    private const string QuoteStarts =
        "#divRplyFwdMsg, #appendonsend, .OutlookMessageHeader, #mail-editor-reference-message-container, hr#zwchr, #x_divRplyFwdMsg";

    /// <summary>Marker value: this element is a quote.</summary>
    public const string BlockMarker = "block";

    /// <summary>Marker value: this element and everything after it is the quote.</summary>
    public const string StartMarker = "start";

    /// <summary>
    /// Returns the new text before the quoted conversation, or null when no quote was found (or
    /// nothing but the quote is there).
    /// </summary>
    public static string? StripTextQuote(string text)
    {
        var start = FindTextQuoteStart(text);
        if (start <= 0)
        {
            return null;
        }

        var reply = text[..start].TrimEnd();
        return reply.Trim().Length == 0 ? null : reply;
    }

    /// <summary>The character index where the quote begins, or -1.</summary>
    public static int FindTextQuoteStart(string text)
    {
        var lines = text.Split('\n');
        var offsets = new int[lines.Length];
        for (int i = 0, offset = 0; i < lines.Length; i++)
        {
            offsets[i] = offset;
            offset += lines[i].Length + 1;
        }

        var seenContent = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (IsQuoteStart(lines, i))
            {
                if (!seenContent)
                {
                    // The quote comes first: a bottom-posted or inline answer, which has no single cut.
                    return -1;
                }

                var start = i;
                if (start > 0 && Separator().IsMatch(PreviousNonEmpty(lines, start, out var previous)))
                {
                    start = previous;
                }

                return offsets[start];
            }

            seenContent = true;
        }

        return -1;
    }

    /// <summary>
    /// Marks quote elements in a parsed (not yet sanitized) document with <see cref="MailHtmlSanitizer.QuoteAttribute"/>.
    /// Returns true when something was marked.
    /// </summary>
    public static bool MarkHtmlQuotes(IHtmlDocument document)
    {
        MailHtmlSanitizer.RemoveQuoteMarkers(document);
        var body = document.Body;
        if (body is null)
        {
            return false;
        }

        var marked = false;
        foreach (var block in body.QuerySelectorAll(QuoteBlocks))
        {
            if (block.ParentElement?.Closest(QuoteBlocks) is null)
            {
                block.SetAttribute(MailHtmlSanitizer.QuoteAttribute, BlockMarker);
                marked = true;
            }
        }

        var start = body.QuerySelector(QuoteStarts) ?? FindOutlookHeader(body);
        if (start is not null && start.Closest($"[{MailHtmlSanitizer.QuoteAttribute}]") is null)
        {
            start.SetAttribute(MailHtmlSanitizer.QuoteAttribute, StartMarker);
            marked = true;
        }

        return marked;
    }

    /// <summary>A copy of the body without the marked quotes; null when none are marked.</summary>
    public static IElement? WithoutQuotes(IElement body)
    {
        var copy = (IElement)body.Clone(deep: true);
        var markers = copy.QuerySelectorAll($"[{MailHtmlSanitizer.QuoteAttribute}]").ToList();
        if (markers.Count == 0)
        {
            return null;
        }

        foreach (var marker in markers)
        {
            if (marker.Parent is null)
            {
                continue;
            }

            if (marker.GetAttribute(MailHtmlSanitizer.QuoteAttribute) == StartMarker)
            {
                RemoveFollowing(marker, copy);
            }

            marker.Remove();
        }

        return copy;
    }

    private static void RemoveFollowing(INode node, IElement root)
    {
        for (var current = node; current is not null && current != root; current = current.Parent)
        {
            while (current.NextSibling is { } next)
            {
                next.RemoveFromParent();
            }
        }
    }

    /// <summary>Outlook desktop: a block with a top border whose text starts with a From: line.</summary>
    private static IElement? FindOutlookHeader(IElement body)
    {
        foreach (var element in body.QuerySelectorAll("div, p, hr"))
        {
            if (element.LocalName is "hr")
            {
                var next = element.NextElementSibling;
                if (next is not null && HeaderStartsWithFrom(HtmlText.FromNode(next)))
                {
                    return element;
                }

                continue;
            }

            var style = element.GetAttribute("style") ?? "";
            if (style.Contains("border-top", StringComparison.OrdinalIgnoreCase) && HeaderStartsWithFrom(HtmlText.FromNode(element)))
            {
                return element;
            }

            if (element.ChildElementCount == 0 && OriginalMessage().IsMatch(element.TextContent.Trim()))
            {
                return element;
            }
        }

        return null;
    }

    private static bool HeaderStartsWithFrom(string text)
    {
        var trimmed = text.TrimStart();
        var match = HeaderFrom().Match(trimmed);
        return match.Success && HeaderField().IsMatch(trimmed[match.Length..]);
    }

    private static bool IsQuoteStart(string[] lines, int index)
    {
        var line = lines[index].Trim();
        if (line.StartsWith('>') || OriginalMessage().IsMatch(line) || Attribution().IsMatch(line))
        {
            return true;
        }

        // Gmail wraps long attributions: "On Mon, 1 Jan 2024 at 10:00, Jane Doe <jane@example.com>\nwrote:".
        if (index + 1 < lines.Length && Attribution().IsMatch(line + " " + lines[index + 1].Trim()))
        {
            return true;
        }

        if (HeaderFrom().IsMatch(line))
        {
            for (var j = index + 1; j < Math.Min(lines.Length, index + 6); j++)
            {
                if (HeaderField().IsMatch(lines[j].Trim()))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string PreviousNonEmpty(string[] lines, int index, out int found)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            if (lines[i].Trim().Length > 0)
            {
                found = i;
                return lines[i].Trim();
            }
        }

        found = index;
        return "";
    }

    [GeneratedRegex(@"^(?:-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Originalnachricht|Message d'origine|Mensaje original|Messaggio originale|Oorspronkelijk bericht|Mensagem original|Orihinal na Mensahe|原始邮件|原始郵件|元のメッセージ)\s*-{2,}|-{5,}\s*原始邮件\s*-{5,})$", RegexOptions.IgnoreCase)]
    private static partial Regex OriginalMessage();

    [GeneratedRegex(@"^(?:On\s.{1,300}\swrote:|Am\s.{1,300}\sschrieb.{0,300}:|Le\s.{1,300}\sa\s[ée]crit\s?:|El\s.{1,300}\sescribi[óo]:|Il\s.{1,300}\sha\sscritto:|Op\s.{1,300}\sschreef.{0,300}:|Em\s.{1,300}\sescreveu:|W dniu\s.{1,300}\snapisał.{0,10}:|Noong\s.{1,300}(?:sumulat si|isinulat ni).{0,300}:|在.{1,300}(?:写道|寫道)\s*[:：]?|.{1,300}(?:写道|寫道)\s*[:：]|\d{4}年\d{1,2}月\d{1,2}日.{0,300}(?:[:：]|書きました[:：]?))$", RegexOptions.IgnoreCase)]
    private static partial Regex Attribution();

    [GeneratedRegex(@"^\*?(?:From|Von|De|Da|Van|Från|Fra|Od|Mula kay|Mula sa|Mula|发件人|發件人|寄件者|差出人)\s*\*?\s*[:：]", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderFrom();

    [GeneratedRegex(@"(?:^|\n|\s)\*?(?:Sent|Date|Gesendet|Datum|Envoyé|Enviado|Inviato|Verzonden|Skickat|Sendt|Wysłano|Ipinadala|To|An|À|Para|Aan|Till|Subject|Betreff|Objet|Asunto|Oggetto|Onderwerp|Paksa|发送时间|發送時間|寄件日期|日期|收件人|主题|主旨|送信日時|宛先|件名)\s*\*?\s*[:：]", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderField();

    [GeneratedRegex(@"^(?:_{10,}|-{10,})$")]
    private static partial Regex Separator();
}
