namespace Switchboard.Email.Parsing;

/// <summary>
/// Bounds on what one inbound message may cost. A message over any of them is not parsed further
/// but quarantined with the reason, so that the mail after it keeps flowing.
/// </summary>
public sealed record MailParserLimits
{
    public static MailParserLimits Default { get; } = new();

    /// <summary>The whole raw message, headers included.</summary>
    public long MaxMessageBytes { get; init; } = 25L * 1024 * 1024;

    /// <summary>The top-level header section, up to the blank line that ends it.</summary>
    public int MaxHeaderBytes { get; init; } = 256 * 1024;

    /// <summary>Addresses in To, Cc and Bcc together.</summary>
    public int MaxRecipients { get; init; } = 1000;

    /// <summary>Nesting of multiparts and attached messages below the top-level body.</summary>
    public int MaxMimeDepth { get; init; } = 20;

    /// <summary>MIME entities in the whole tree, attached messages included.</summary>
    public int MaxMimeParts { get; init; } = 500;
}
