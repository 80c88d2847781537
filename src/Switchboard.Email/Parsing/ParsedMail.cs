namespace Switchboard.Email.Parsing;

/// <summary>An address as it appeared in a header: the display name decoded, the address as given.</summary>
public sealed record ParsedAddress(string Address, string? DisplayName);

/// <summary>A file carried by a message. Inline parts referenced from the HTML carry their Content-ID.</summary>
public sealed record ParsedAttachment(string FileName, string ContentType, string? ContentId, bool IsInline, byte[] Content);

/// <summary>Why a message must not get an automatic answer (RFC 3834 and common practice); null when it may.</summary>
public enum AutomaticKind { AutoSubmitted, Bulk, MailingList, NullReturnPath, DaemonSender }

/// <summary>A delivery-status report: which of our messages bounced, and for whom.</summary>
public sealed record BounceReport(string? OriginalMessageId, IReadOnlyList<string> FailedRecipients, string? Diagnostic);

/// <summary>Everything Switchboard reads from one inbound email.</summary>
public sealed record ParsedMail
{
    /// <summary>Message-ID without angle brackets; null when the header is missing or empty.</summary>
    public string? MessageId { get; init; }
    public IReadOnlyList<string> InReplyTo { get; init; } = [];
    public IReadOnlyList<string> References { get; init; } = [];
    public ParsedAddress? From { get; init; }
    public ParsedAddress? ReplyTo { get; init; }
    public IReadOnlyList<ParsedAddress> To { get; init; } = [];
    public IReadOnlyList<ParsedAddress> Cc { get; init; } = [];
    /// <summary>Envelope sender from Return-Path; empty string for the null path &lt;&gt;.</summary>
    public string? ReturnPath { get; init; }
    public string Subject { get; init; } = "";
    public DateTimeOffset? Date { get; init; }
    /// <summary>The visible text (from the text part, or derived from the HTML part).</summary>
    public string Text { get; init; } = "";
    /// <summary>Sanitized HTML, or null for plain-text mail. Inline images stay as cid: references.</summary>
    public string? Html { get; init; }
    /// <summary>The HTML referred to remote images or styles, which were blocked.</summary>
    public bool HasRemoteContent { get; init; }
    /// <summary>The new part of the text, with the quoted earlier conversation cut off (null when none was detected).</summary>
    public string? TextWithoutQuote { get; init; }
    /// <summary>
    /// The sanitized HTML without the quoted earlier conversation, for a collapsed view (null when none was
    /// detected). In <see cref="Html"/> the quote elements carry a <c>data-sb-quote</c> attribute.
    /// </summary>
    public string? HtmlWithoutQuote { get; init; }
    public IReadOnlyList<ParsedAttachment> Attachments { get; init; } = [];
    public AutomaticKind? Automatic { get; init; }
    public BounceReport? Bounce { get; init; }
}
