using MimeKit;
using MimeKit.Cryptography;
using MimeKit.Encodings;
using MimeKit.Text;
using MimeKit.Tnef;

namespace Switchboard.Email.Parsing;

internal enum BodyChunkKind { Text, Html, Image }

/// <summary>A piece of the visible body, in reading order; for an image, the content is its Content-ID.</summary>
internal sealed record BodyChunk(BodyChunkKind Kind, string Content);

/// <summary>An attachment found while walking the tree; its name and inline flag are settled at the end.</summary>
internal sealed class PendingAttachment
{
    public required string? FileName { get; set; }
    public required string ContentType { get; init; }
    public required byte[] Content { get; init; }
    public string? ContentId { get; set; }
    public string? ContentLocation { get; init; }
    public bool IsInline { get; set; }
}

/// <summary>
/// Walks the MIME tree once and sorts every part into the visible body (text, HTML and inline images in
/// reading order, with the plain-text alternative kept aside) or the attachments.
/// </summary>
internal sealed class MailContentExtractor
{
    private static readonly HashSet<string> SignatureTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/pgp-signature", "application/pkcs7-signature", "application/x-pkcs7-signature",
    };

    private static readonly FormatOptions MessageFormat = CreateMessageFormat();

    private readonly IReadOnlyDictionary<MimeEntity, (long Start, long End)> _messageOffsets;
    private readonly byte[] _raw;
    private readonly int _maxAttachments;
    private readonly CancellationToken _cancellationToken;
    private readonly Stack<string> _charsetHints = new();
    private int _generatedIds;

    public MailContentExtractor(
        IReadOnlyDictionary<MimeEntity, (long Start, long End)> messageOffsets,
        byte[] raw,
        int maxAttachments,
        CancellationToken cancellationToken)
    {
        _messageOffsets = messageOffsets;
        _raw = raw;
        _maxAttachments = maxAttachments;
        _cancellationToken = cancellationToken;
    }

    public List<BodyChunk> Body { get; } = [];

    /// <summary>Plain-text alternatives of HTML bodies, in order.</summary>
    public List<string> AlternativeTexts { get; } = [];

    public List<PendingAttachment> Attachments { get; } = [];

    /// <summary>Content-Location of related parts, mapped to their Content-ID, for HTML that refers by location.</summary>
    public Dictionary<string, string> ContentLocations { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void Extract(MimeMessage message)
    {
        if (message.Body is null)
        {
            return;
        }

        Visit(message.Body, asBody: true);
    }

    private void Visit(MimeEntity entity, bool asBody)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        switch (entity)
        {
            case MultipartAlternative alternative:
                WithHint(alternative, () => VisitAlternative(alternative, asBody));
                break;
            case MultipartRelated related:
                WithHint(related, () => VisitRelated(related, asBody));
                break;
            case MultipartSigned signed:
                WithHint(signed, () => VisitSigned(signed, asBody));
                break;
            case MultipartEncrypted encrypted:
                foreach (var child in encrypted.Where(child => !child.ContentType.IsMimeType("application", "pgp-encrypted")))
                {
                    AddAttachment(child);
                }

                break;
            case Multipart multipart:
                WithHint(multipart, () => VisitMixed(multipart, asBody));
                break;
            case TnefPart tnef:
                AddTnef(tnef, asBody);
                break;
            case TextPart text when asBody && IsBodyText(text):
                AddBodyText(text);
                break;
            default:
                AddAttachment(entity);
                break;
        }
    }

    private void VisitMixed(Multipart multipart, bool asBody)
    {
        foreach (var child in multipart)
        {
            if (!asBody)
            {
                Visit(child, asBody: false);
            }
            else if (child is MimePart image && Body.Count > 0 && IsInlineImage(image))
            {
                // Apple Mail and others put text, image, text in a multipart/mixed: show it in that order.
                var attachment = AddAttachment(image);
                attachment.ContentId ??= GenerateContentId();
                attachment.IsInline = true;
                Body.Add(new BodyChunk(BodyChunkKind.Image, attachment.ContentId));
            }
            else
            {
                Visit(child, asBody: true);
            }
        }
    }

    private void VisitAlternative(MultipartAlternative alternative, bool asBody)
    {
        if (!asBody)
        {
            foreach (var child in alternative)
            {
                Visit(child, asBody: false);
            }

            return;
        }

        MimeEntity? html = null;
        TextPart? text = null;
        foreach (var child in alternative)
        {
            if (IsHtmlRendition(child))
            {
                html = child;
            }
            else if (child is TextPart { IsPlain: true } plain && IsBodyText(plain)
                && (text is null || (IsBlank(text) && !IsBlank(plain))))
            {
                text = plain;
            }
        }

        var chosen = html ?? text ?? alternative.LastOrDefault(child => child is Multipart);
        if (chosen is not null)
        {
            Visit(chosen, asBody: true);
            if (html is not null && text is not null)
            {
                AlternativeTexts.Add(ReadPlainText(text));
            }
        }

        foreach (var child in alternative)
        {
            // Other renditions of the same content are dropped; calendars and such stay as files.
            if (child != chosen && child is not Multipart && child is not TextPart { IsPlain: true } && child is not TextPart { IsHtml: true }
                && child is not TextPart { IsEnriched: true } && child is not TextPart { IsRichText: true })
            {
                AddAttachment(child);
            }
        }
    }

    private void VisitRelated(MultipartRelated related, bool asBody)
    {
        var root = related.Root;
        if (root is not null)
        {
            Visit(root, asBody);
        }

        foreach (var child in related)
        {
            if (child == root)
            {
                continue;
            }

            if (child is Multipart)
            {
                Visit(child, asBody: false);
                continue;
            }

            var attachment = AddAttachment(child);
            if (attachment.ContentLocation is { Length: > 0 } location)
            {
                attachment.ContentId ??= GenerateContentId();
                ContentLocations.TryAdd(location, attachment.ContentId);
            }
        }
    }

    private void VisitSigned(MultipartSigned signed, bool asBody)
    {
        for (var i = 0; i < signed.Count; i++)
        {
            if (i == 0)
            {
                Visit(signed[i], asBody);
            }
            else if (!SignatureTypes.Contains(signed[i].ContentType.MimeType))
            {
                Visit(signed[i], asBody: false);
            }
        }
    }

    private void AddBodyText(TextPart part)
    {
        if (part.IsHtml)
        {
            var bytes = ReadContent(part);
            var charset = part.ContentType.Charset ?? MailCharsets.FindHtmlMetaCharset(bytes) ?? CurrentHint;
            Body.Add(new BodyChunk(BodyChunkKind.Html, MailCharsets.Decode(bytes, charset)));
            return;
        }

        var text = ReadPlainText(part);
        var files = new List<UuEncodedFile>();
        text = UuEncodedBlocks.Extract(text, files);
        foreach (var file in files)
        {
            AddPending(new PendingAttachment
            {
                FileName = file.FileName,
                ContentType = MimeTypes.GetMimeType(file.FileName),
                Content = file.Content,
            });
        }

        Body.Add(new BodyChunk(BodyChunkKind.Text, text));
    }

    private string ReadPlainText(TextPart part)
    {
        var text = MailCharsets.Decode(ReadContent(part), part.ContentType.Charset ?? CurrentHint);
        var format = part.ContentType.Parameters["format"];
        if (string.Equals(format, "flowed", StringComparison.OrdinalIgnoreCase))
        {
            var delsp = string.Equals(part.ContentType.Parameters["delsp"], "yes", StringComparison.OrdinalIgnoreCase);
            text = new FlowedToText { DeleteSpace = delsp }.Convert(text);
        }

        return text.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private void AddTnef(TnefPart tnef, bool asBody)
    {
        MimeMessage? converted = null;
        if (TnefStructureIsSound(tnef))
        {
            try
            {
                converted = tnef.ConvertToMessage();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Unreadable TNEF is kept as the winmail.dat file below.
            }
        }

        var files = converted?.Attachments.ToList() ?? [];
        var html = converted?.HtmlBody;
        var text = converted?.TextBody;
        if (files.Count == 0 && string.IsNullOrWhiteSpace(html) && string.IsNullOrWhiteSpace(text))
        {
            // Nothing could be read from it: keep winmail.dat itself rather than lose it.
            AddAttachment(tnef);
            return;
        }

        if (asBody && Body.Count == 0)
        {
            if (!string.IsNullOrWhiteSpace(html))
            {
                Body.Add(new BodyChunk(BodyChunkKind.Html, html));
            }
            else if (!string.IsNullOrWhiteSpace(text))
            {
                Body.Add(new BodyChunk(BodyChunkKind.Text, text));
            }
        }

        foreach (var file in files)
        {
            AddAttachment(file);
        }
    }

    /// <summary>
    /// Checks that every TNEF attribute fits in the data before MimeKit reads it, so that a forged
    /// length cannot make the reader allocate or loop beyond the part's size.
    /// </summary>
    private bool TnefStructureIsSound(TnefPart tnef)
    {
        if (tnef.Content is null)
        {
            return false;
        }

        var data = ReadContent(tnef);
        if (data.Length < 6 || BitConverter.ToUInt32(data, 0) != 0x223E9F78)
        {
            return false;
        }

        var position = 6;
        while (position < data.Length)
        {
            if (data.Length - position < 11)
            {
                return false;
            }

            var length = BitConverter.ToUInt32(data, position + 5);
            if (length > (uint)(data.Length - position - 11))
            {
                return false;
            }

            position += 11 + (int)length;
        }

        return true;
    }

    private PendingAttachment AddAttachment(MimeEntity entity)
    {
        var contentType = entity.ContentType.MimeType.ToLowerInvariant();
        byte[] content = entity switch
        {
            MessagePart message => ReadMessage(message),
            MimePart part => ReadContent(part),
            _ => [],
        };

        return AddPending(new PendingAttachment
        {
            FileName = AttachmentNames.Choose(entity, CurrentHint),
            ContentType = contentType,
            Content = content,
            ContentId = string.IsNullOrWhiteSpace(entity.ContentId) ? null : entity.ContentId.Trim(),
            ContentLocation = entity.ContentLocation?.OriginalString,
        });
    }

    private PendingAttachment AddPending(PendingAttachment attachment)
    {
        if (Attachments.Count >= _maxAttachments)
        {
            throw new MailLimitExceededException($"More than {_maxAttachments} MIME parts");
        }

        Attachments.Add(attachment);
        return attachment;
    }

    /// <summary>An attached message as it was sent: the original bytes when the parser saw them.</summary>
    private byte[] ReadMessage(MessagePart message)
    {
        var encoding = message.Headers[HeaderId.ContentTransferEncoding]?.Trim().ToLowerInvariant();
        var unencoded = encoding is null or "7bit" or "8bit" or "binary";
        if (unencoded && _messageOffsets.TryGetValue(message, out var range) && range.Start <= range.End && range.End <= _raw.Length)
        {
            return _raw[(int)range.Start..(int)range.End];
        }

        if (message.Message is null)
        {
            return [];
        }

        using var output = new MemoryStream();
        message.Message.WriteTo(MessageFormat, output, _cancellationToken);
        return output.ToArray();
    }

    private byte[] ReadContent(MimePart part)
    {
        if (part.Content is null)
        {
            return [];
        }

        using var output = new MemoryStream();
        if (part.Content.Encoding == ContentEncoding.Base64)
        {
            // MimeKit's decoder drops the last byte of an incomplete final quantum; mail clients keep it.
            part.Content.WriteTo(output, _cancellationToken);
            return LenientBase64.Decode(output.GetBuffer().AsSpan(0, (int)output.Length));
        }

        if (part.Content.Encoding == ContentEncoding.UUEncode)
        {
            // Some senders give the uuencoded lines without the "begin" and "end" lines.
            part.Content.WriteTo(output, _cancellationToken);
            var encoded = output.GetBuffer().AsSpan(0, (int)output.Length);
            var decoder = new UUDecoder(payloadOnly: !StartsWithBegin(encoded));
            var decoded = new byte[decoder.EstimateOutputLength(encoded.Length)];
            var length = decoder.Decode(output.GetBuffer(), 0, (int)output.Length, decoded);
            return decoded[..length];
        }

        part.Content.DecodeTo(output, _cancellationToken);
        return output.ToArray();
    }

    private static bool StartsWithBegin(ReadOnlySpan<byte> encoded) =>
        encoded.TrimStart("\r\n \t"u8).StartsWith("begin "u8);

    private static FormatOptions CreateMessageFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }

    private string GenerateContentId() => $"part{++_generatedIds}.{Guid.NewGuid():N}@switchboard.invalid";

    private static bool IsBodyText(TextPart part) =>
        (part.IsPlain || part.IsHtml)
        && !part.IsAttachment
        && string.IsNullOrWhiteSpace(part.ContentDisposition?.FileName)
        && string.IsNullOrWhiteSpace(part.ContentType.Name);

    private static bool IsInlineImage(MimePart part) =>
        part.ContentType.MediaType.Equals("image", StringComparison.OrdinalIgnoreCase)
        && string.Equals(part.ContentDisposition?.Disposition, ContentDisposition.Inline, StringComparison.OrdinalIgnoreCase);

    private static bool IsBlank(TextPart part) => part.Content is null || string.IsNullOrWhiteSpace(part.Text);

    /// <summary>An HTML part, or a multipart whose main part is HTML (related HTML with its images).</summary>
    private static bool IsHtmlRendition(MimeEntity entity) => entity switch
    {
        TextPart { IsHtml: true } html => IsBodyText(html),
        MultipartRelated related => related.Root is { } root && IsHtmlRendition(root),
        Multipart multipart => multipart.Any(IsHtmlRendition),
        _ => false,
    };

    private string? CurrentHint => _charsetHints.Count > 0 ? _charsetHints.Peek() : null;

    /// <summary>Visits a multipart with its charset parameter (rare, but GB2312 mailers send it) as the hint for undeclared parts.</summary>
    private void WithHint(Multipart multipart, Action visit)
    {
        var charset = multipart.ContentType.Charset;
        if (string.IsNullOrEmpty(charset))
        {
            visit();
            return;
        }

        _charsetHints.Push(charset);
        try
        {
            visit();
        }
        finally
        {
            _charsetHints.Pop();
        }
    }
}
