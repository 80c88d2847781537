using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;
using Switchboard.Email.Parsing;

namespace Switchboard.Email.Tests.Parsing;

/// <summary>
/// Runs every message of the shared corpus through the parser and compares the result with Zammad's
/// expectation: sender, recipients, subject and Message-ID exactly, attachments by decoded content,
/// name and Content-ID, and the body by its visible text.
/// </summary>
public sealed partial class MailCorpusTests
{
    /// <summary>Messages that are genuinely broken and must be quarantined, with the reason. None so far.</summary>
    private static readonly Dictionary<string, string> ExpectedQuarantine = [];

    /// <summary>Expectations that record Zammad quirks rather than the message, per field, with the reason.</summary>
    private static readonly Dictionary<(string Message, string Field), string> Excluded = new()
    {
        [("mail018", "body")] = "the report text is UTF-7; Zammad leaves it encoded ('+APw-ber'), Switchboard decodes it ('über')",
        [("mail020", "body")] = "the HTML entity &lang; is U+27E8 in HTML5; Zammad's older entity table gives U+3008",
        [("mail021", "body")] = "as mail020: &lang;",
        [("mail025", "body")] = "the whole body is a uuencoded file; Zammad shows the encoded lines, Switchboard extracts the file as an attachment",
        [("mail026", "body")] = "the HTML part shows only its <title>; Switchboard shows the text part instead, Zammad the title",
        [("mail044", "from_email")] = "the domain ends in a dot (an absolute domain name); MimeKit drops the dot, the mailbox is the same",
        [("mail046", "from_display_name")] = "the name is raw, undeclared GB2312; Zammad reads it as windows-1250 mojibake, Switchboard as Chinese",
        [("mail076", "from_email")] = "the From header is broken; Zammad keeps the stray '>' in the address",
        [("mail076", "from_display_name")] = "Zammad makes a display name out of the broken address",
        [("mail087", "from_email")] = "'From: Test test@example.com' has no angle brackets; Zammad keeps the whole text as the address, Switchboard recognizes test@example.com",
        [("mail087", "from_display_name")] = "as above; Switchboard reads the name as 'Test'",
        [("mail087", "body")] = "the text part has no Content-Type header; RFC 2045 makes it text/plain, Zammad stores it as an attachment named 'file' and shows no body",
        [("mail096", "message_id")] = "Zammad generates a Message-ID when the header is unusable",
        [("mail097", "message_id")] = "Zammad generates a Message-ID when the header is unusable",
    };

    /// <summary>
    /// Attachment expectations that differ for a stated reason: the Zammad file name that Switchboard names
    /// differently, or (with a null replacement) an attachment Switchboard does not create.
    /// </summary>
    private static readonly Dictionary<(string Message, string ZammadName), (string? SwitchboardName, string Reason)> AttachmentOverrides = new()
    {
        [("mail073", "Forex Platte ohne W\uFFFDlbung.jpg")] = ("Forex Platte ohne Wölbung.jpg",
            "the RFC 2231 name declares us-ascii but carries a Latin-1 byte; Zammad shows a replacement character, Switchboard decodes it"),
        [("mail102", "Screen Shot 2018-12-17 at 091.00.38.png")] = ("Screen Shot 2018-12-17 at 09.00.381.png",
            "both name a duplicate file apart; Zammad inserts the number before the first dot, Switchboard before the extension"),
        [("mail087", "file")] = (null, "the body part without Content-Type is the body for Switchboard (see the body exclusion)"),
    };

    public static TheoryData<string> AllMessages => new(MailCorpus.MessageNames());

    public static TheoryData<string> MessagesWithExpectations => new(MailCorpus.ExpectedNames());

    [Fact]
    public void Corpus_IsComplete()
    {
        Assert.Equal(106, MailCorpus.MessageNames().Count);
        Assert.Equal(85, MailCorpus.ExpectedNames().Count);
    }

    [Theory]
    [MemberData(nameof(AllMessages))]
    public void Parse_CorpusMessage_IsParsedOrQuarantinedAsExpected(string name)
    {
        var result = Parse(name);

        if (ExpectedQuarantine.TryGetValue(name, out var reason))
        {
            Assert.True(result.IsQuarantined, $"{name} should be quarantined: {reason}");
            Assert.Equal(reason, result.QuarantineReason);
        }
        else
        {
            Assert.False(result.IsQuarantined, $"{name} was quarantined: {result.QuarantineReason}");
        }
    }

    [Theory]
    [MemberData(nameof(MessagesWithExpectations))]
    public void Parse_CorpusMessage_SenderAndSubjectMatch(string name)
    {
        var expected = MailCorpus.ReadExpectation(name);
        var mail = ParseMail(name);

        Check(name, "from_email", expected, value => Assert.Equal(value, mail.From?.Address ?? ""));
        Check(name, "from_display_name", expected, value => Assert.Equal(value, mail.From?.DisplayName ?? ""));
        Check(name, "subject", expected, value => Assert.Equal(value, mail.Subject));
        Check(name, "message_id", expected, value => Assert.Equal(value.Trim('<', '>'), mail.MessageId));
    }

    [Theory]
    [MemberData(nameof(MessagesWithExpectations))]
    public void Parse_CorpusMessage_RecipientsMatch(string name)
    {
        var expected = MailCorpus.ReadExpectation(name);
        var mail = ParseMail(name);

        Check(name, "to", expected, value => Assert.Equal(Addresses(value), Addresses(mail.To)));
        Check(name, "cc", expected, value => Assert.Equal(Addresses(value), Addresses(mail.Cc)));
        Check(name, "reply-to", expected, value => Assert.Equal(Addresses(value), Addresses(mail.ReplyTo is null ? [] : [mail.ReplyTo])));
    }

    [Theory]
    [MemberData(nameof(MessagesWithExpectations))]
    public void Parse_CorpusMessage_AttachmentsMatch(string name)
    {
        if (!MailCorpus.ExpectsAttachments(name))
        {
            return;
        }

        var expected = MailCorpus.ReadExpectation(name);
        var mail = ParseMail(name);

        // Zammad also stores the HTML body as a synthetic "message.html" attachment (preference
        // original-format); Switchboard keeps the HTML as the body only, so those entries are skipped.
        var expectedFiles = expected.GetProperty("attachments").EnumerateArray()
            .Where(a => !IsOriginalFormat(a))
            .Select(a => ExpectedFile(name, a))
            .OfType<ExpectedAttachment>()
            .OrderBy(a => a.FileName, StringComparer.Ordinal)
            .ToList();
        var actualFiles = mail.Attachments.OrderBy(a => a.FileName, StringComparer.Ordinal).ToList();

        Assert.Equal(expectedFiles.Select(a => a.FileName), actualFiles.Select(a => a.FileName));
        for (var i = 0; i < expectedFiles.Count; i++)
        {
            var want = expectedFiles[i];
            var got = actualFiles[i];
            Assert.Equal(want.ContentId, got.ContentId);
            Assert.True(ContentMatches(want, got), $"{name}: content of {got.FileName} differs from Zammad's (md5 {want.Md5})");
        }
    }

    [Theory]
    [MemberData(nameof(MessagesWithExpectations))]
    public void Parse_CorpusMessage_BodyKeepsVisibleText(string name)
    {
        var expected = MailCorpus.ReadExpectation(name);
        var mail = ParseMail(name);

        Check(name, "body", expected, body =>
        {
            var contentType = expected.TryGetProperty("content_type", out var type) ? type.GetString() : null;
            var expectedText = VisibleText(body, contentType);
            var actualText = Normalize(mail.Html is not null ? HtmlText.FromHtml(mail.Html) : mail.Text);

            // Zammad's HTML-to-HTML cleaning turns the document's <title> into body text; a browser does
            // not show it, and neither does Switchboard. With that title in front, the texts must be equal.
            var title = HtmlTitle(name);
            if (title.Length > 0 && Normalize(expectedText) == Normalize(title + " " + actualText))
            {
                return;
            }

            Assert.Equal(Normalize(expectedText), actualText);
        });
    }

    private static MailParseResult Parse(string name)
    {
        using var stream = new MemoryStream(MailCorpus.ReadMessage(name));
        return MailParser.Parse(stream, MailParserLimits.Default, CancellationToken.None);
    }

    private static ParsedMail ParseMail(string name)
    {
        var result = Parse(name);
        Assert.False(result.IsQuarantined, $"{name} was quarantined: {result.QuarantineReason}");
        return result.Mail;
    }

    /// <summary>Runs the check when Zammad's expectation has the key and it is not excluded.</summary>
    private static void Check(string name, string field, JsonElement expected, Action<string> assert)
    {
        if (!expected.TryGetProperty(field, out var value) || Excluded.ContainsKey((name, field)))
        {
            return;
        }

        assert(value.ValueKind == JsonValueKind.Null ? "" : value.GetString() ?? "");
    }

    /// <summary>
    /// Zammad's to and cc are the decoded header text, joined with ", ". Reading that text as an address
    /// list with the same rules as the parser compares address by address, whatever the spacing.
    /// </summary>
    private static List<string> Addresses(string header) =>
        Addresses(MailAddresses.Parse(ParserOptions.Default, header));

    private static List<string> Addresses(IEnumerable<ParsedAddress> addresses) =>
        [.. addresses.Select(a => $"{a.Address} | {Regex.Replace(a.DisplayName ?? "", @"\s+", " ")}")];

    private sealed record ExpectedAttachment(string FileName, string Md5, string? ContentId);

    private static bool IsOriginalFormat(JsonElement attachment) =>
        attachment.TryGetProperty("preferences", out var preferences)
        && preferences.ValueKind == JsonValueKind.Object
        && preferences.TryGetProperty("original-format", out var original)
        && original.ValueKind == JsonValueKind.True;

    private static ExpectedAttachment? ExpectedFile(string message, JsonElement attachment)
    {
        var fileName = attachment.GetProperty("filename").GetString()!;
        var contentId = attachment.TryGetProperty("cid", out var cid) && cid.ValueKind == JsonValueKind.String ? cid.GetString() : null;
        if (AttachmentOverrides.TryGetValue((message, fileName), out var replacement))
        {
            if (replacement.SwitchboardName is null)
            {
                return null;
            }

            fileName = replacement.SwitchboardName;
        }

        return new ExpectedAttachment(fileName, attachment.GetProperty("md5").GetString()!, contentId);
    }

    /// <summary>
    /// Compares MD5 of the decoded content (the digest Zammad's expectations carry). Zammad stored some
    /// text and message attachments with LF line ends, so for those the LF form counts as a match too.
    /// </summary>
    private static bool ContentMatches(ExpectedAttachment expected, ParsedAttachment actual)
    {
#pragma warning disable CA5351 // MD5 only reproduces the digests in the expectation files.
        if (Convert.ToHexStringLower(MD5.HashData(actual.Content)) == expected.Md5)
        {
            return true;
        }

        var textual = actual.ContentType.StartsWith("text/", StringComparison.Ordinal) || actual.ContentType.StartsWith("message/", StringComparison.Ordinal);
        if (!textual)
        {
            return false;
        }

        var lf = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(actual.Content).Replace("\r\n", "\n", StringComparison.Ordinal));
        return Convert.ToHexStringLower(MD5.HashData(lf)) == expected.Md5;
#pragma warning restore CA5351
    }

    /// <summary>Zammad's body is its own sanitized HTML for HTML mail and the text otherwise; both are read as a person sees them.</summary>
    private static string VisibleText(string body, string? contentType)
    {
        // Zammad's placeholder for a message without a body.
        if (body == "no visible content")
        {
            return "";
        }

        var isHtml = contentType == "text/html" || (contentType is null && HtmlTag().IsMatch(body));
        return isHtml ? HtmlText.FromHtml(body) : body;
    }

    private static string HtmlTitle(string name)
    {
        using var stream = new MemoryStream(MailCorpus.ReadMessage(name));
        string? html;
        try
        {
            html = MimeMessage.Load(stream).HtmlBody;
        }
        catch (FormatException)
        {
            // MimeKit alone cannot read every message of the corpus; then there is no title to account for.
            return "";
        }

        return html is null ? "" : Normalize(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).Title ?? "");
    }

    /// <summary>Line breaks and spacing differ between two HTML-to-text readings; the characters and their order must not.</summary>
    private static string Normalize(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"<(?:p|div|br|span|a|b|i|table|img|blockquote)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"[\s\u00A0\u200B\uFEFF]+")]
    private static partial Regex Whitespace();
}
