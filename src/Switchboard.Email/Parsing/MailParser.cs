using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;

namespace Switchboard.Email.Parsing;

/// <summary>
/// Reads one raw inbound message into a <see cref="ParsedMail"/>, or quarantines it with a short reason.
/// Never throws for any input: size, header, recipient and MIME-tree limits are checked before the
/// expensive work, and any failure of the parser becomes a quarantine reason, so that one bad message
/// cannot stop the mail after it.
/// </summary>
internal static partial class MailParser
{
    public const string UnparseableReason = "Not a parseable email message";

    /// <summary>
    /// Parses a message from <paramref name="raw"/>, which is read to its end. A seekable stream longer
    /// than the limit is rejected without being read.
    /// </summary>
    public static MailParseResult Parse(Stream raw, MailParserLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(limits);
        try
        {
            var bytes = ReadBounded(raw, limits.MaxMessageBytes, cancellationToken);
            return bytes is null
                ? MailParseResult.Quarantined($"Message is larger than the {FormatSize(limits.MaxMessageBytes)} limit")
                : ParseBytes(bytes, limits, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (MailLimitExceededException exception)
        {
            return MailParseResult.Quarantined(exception.Message);
        }
        catch (FormatException)
        {
            return MailParseResult.Quarantined(UnparseableReason);
        }
        catch (Exception exception)
        {
            return MailParseResult.Quarantined($"The message could not be read ({exception.GetType().Name})");
        }
    }

    private static MailParseResult ParseBytes(byte[] bytes, MailParserLimits limits, CancellationToken cancellationToken)
    {
        var headerLength = HeaderSection.Measure(bytes, limits.MaxHeaderBytes + 2);
        if (headerLength > limits.MaxHeaderBytes || (headerLength < 0 && bytes.Length > limits.MaxHeaderBytes))
        {
            return MailParseResult.Quarantined($"Header section exceeds {FormatSize(limits.MaxHeaderBytes)}");
        }

        bytes = HeaderSection.Repair(bytes, headerLength);

        var options = MailCharsets.CreateParserOptions(limits.MaxMimeDepth);
        var messageOffsets = new Dictionary<MimeEntity, (long Start, long End)>(ReferenceEqualityComparer.Instance);
        using var stream = new MemoryStream(bytes, writable: false);
        var parser = new MimeParser(options, stream, MimeFormat.Entity, persistent: true);
        var entities = 0;
        parser.MimeEntityBegin += (_, _) =>
        {
            // Stop while parsing, before a tree of countless tiny parts is built in memory.
            if (++entities > limits.MaxMimeParts)
            {
                throw new MailLimitExceededException($"More than {limits.MaxMimeParts} MIME parts");
            }
        };
        parser.MimeEntityEnd += (_, e) =>
        {
            if (e.Entity is MessagePart)
            {
                messageOffsets[e.Entity] = (e.HeadersEndOffset, e.EndOffset);
            }
        };

        var message = parser.ParseMessage(cancellationToken);
        if (message.Headers.Count == 0)
        {
            return MailParseResult.Quarantined(UnparseableReason);
        }

        CheckStructure(message, limits);
        var recipients = message.To.Mailboxes.Count() + message.Cc.Mailboxes.Count() + message.Bcc.Mailboxes.Count();
        if (recipients > limits.MaxRecipients)
        {
            return MailParseResult.Quarantined($"More than {limits.MaxRecipients} recipients");
        }

        var extractor = new MailContentExtractor(messageOffsets, bytes, limits.MaxMimeParts, cancellationToken);
        extractor.Extract(message);
        return MailParseResult.Parsed(Build(message, extractor, cancellationToken));
    }

    /// <summary>Counts the entities and the nesting of the whole tree, attached messages included.</summary>
    private static void CheckStructure(MimeMessage message, MailParserLimits limits)
    {
        if (message.Body is null)
        {
            return;
        }

        var parts = 0;
        var stack = new Stack<(MimeEntity Entity, int Depth)>();
        stack.Push((message.Body, 1));
        while (stack.Count > 0)
        {
            var (entity, depth) = stack.Pop();
            if (++parts > limits.MaxMimeParts)
            {
                throw new MailLimitExceededException($"More than {limits.MaxMimeParts} MIME parts");
            }

            if (depth > limits.MaxMimeDepth)
            {
                throw new MailLimitExceededException($"MIME nesting deeper than {limits.MaxMimeDepth} levels");
            }

            switch (entity)
            {
                case Multipart multipart:
                    foreach (var child in multipart)
                    {
                        stack.Push((child, depth + 1));
                    }

                    break;
                case MessagePart { Message.Body: { } body }:
                    stack.Push((body, depth + 1));
                    break;
                default:
                    break;
            }
        }
    }

    private static ParsedMail Build(MimeMessage message, MailContentExtractor extractor, CancellationToken cancellationToken)
    {
        var hint = MailHeaders.CharsetHint(message);
        var returnPath = MailAddresses.ReadReturnPath(message);
        var from = MailAddresses.SelectSender(
            MailHeaders.Addresses(message, HeaderId.From, hint),
            MailHeaders.Text(message, HeaderId.From, hint),
            MailHeaders.Addresses(message, HeaderId.ReplyTo, hint),
            MailHeaders.Addresses(message, HeaderId.Sender, hint),
            returnPath);
        var body = MailBodyComposer.Compose(extractor, cancellationToken);

        AttachmentNames.MakeUnique(extractor.Attachments);
        var referenced = body.ReferencedContentIds;
        var attachments = extractor.Attachments
            .Select(a => new ParsedAttachment(
                a.FileName!,
                a.ContentType,
                a.ContentId,
                a.IsInline || (a.ContentId is not null && referenced.Contains(a.ContentId)),
                a.Content))
            .ToList();

        var subject = MailHeaders.Text(message, HeaderId.Subject, hint) ?? "";
        return new ParsedMail
        {
            MessageId = NormalizeId(message.MessageId),
            InReplyTo = ReadIds(message.Headers[HeaderId.InReplyTo]),
            References = ReadIds(message.Headers[HeaderId.References]),
            From = from,
            ReplyTo = MailAddresses.FromList(MailHeaders.Addresses(message, HeaderId.ReplyTo, hint)) is { Count: > 0 } replyTo ? replyTo[0] : null,
            To = MailAddresses.FromList(MailHeaders.Addresses(message, HeaderId.To, hint)),
            Cc = MailAddresses.FromList(MailHeaders.Addresses(message, HeaderId.Cc, hint)),
            ReturnPath = returnPath,
            Subject = subject,
            Date = message.Headers[HeaderId.Date] is { } date && DateUtils.TryParse(date, out var sent) ? sent : null,
            Text = body.Text,
            Html = body.Html,
            HasRemoteContent = body.HasRemoteContent,
            TextWithoutQuote = ForwardSubject().IsMatch(subject) ? null : body.TextWithoutQuote,
            HtmlWithoutQuote = ForwardSubject().IsMatch(subject) ? null : body.HtmlWithoutQuote,
            Attachments = attachments,
            Automatic = AutomaticMailDetector.Detect(message, returnPath, from),
            Bounce = SafeDetectBounce(message, from, body.Text),
        };
    }

    private static BounceReport? SafeDetectBounce(MimeMessage message, ParsedAddress? from, string text)
    {
        try
        {
            return BounceDetector.Detect(message, from, text);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A report too broken to read is still delivered as a message; it just is not matched to a bounce.
            return null;
        }
    }

    private static string? NormalizeId(string? id)
    {
        var trimmed = id?.Trim().Trim('<', '>').Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private static List<string> ReadIds(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        return [.. MimeUtils.EnumerateReferences(value).Select(NormalizeId).OfType<string>().Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Reads the stream into memory, or returns null as soon as it proves longer than the limit.</summary>
    private static byte[]? ReadBounded(Stream raw, long maxBytes, CancellationToken cancellationToken)
    {
        if (raw.CanSeek)
        {
            var remaining = raw.Length - raw.Position;
            if (remaining > maxBytes)
            {
                return null;
            }

            var exact = new byte[remaining];
            raw.ReadExactly(exact);
            return exact;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = raw.Read(chunk, 0, chunk.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string FormatSize(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{bytes / (1024 * 1024)} MB",
        >= 1024 when bytes % 1024 == 0 => $"{bytes / 1024} KB",
        _ => $"{bytes} bytes",
    };

    [GeneratedRegex(@"^\s*(?:(?:fwd?|wg|tr|rv|fs|vs|enc|doorst|i)\s*:|\[fwd?:)", RegexOptions.IgnoreCase)]
    private static partial Regex ForwardSubject();
}
