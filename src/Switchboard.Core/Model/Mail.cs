namespace Switchboard.Core.Model;

public enum MailInboundType { None, Smtp, Imap, Pop3 }

public enum MailSecurity { None, Ssl, StartTls }

/// <summary>An email address the help desk receives at and answers from.</summary>
public class Mailbox
{
    public long Id { get; set; }
    /// <summary>Lower-case address, unique.</summary>
    public required string Address { get; set; }
    public required string Name { get; set; }
    public long? DepartmentId { get; set; }
    public bool IsActive { get; set; } = true;
    public MailInboundType InboundType { get; set; }
    public string? InboundHost { get; set; }
    public int? InboundPort { get; set; }
    public MailSecurity InboundSecurity { get; set; }
    public string? InboundUsername { get; set; }
    /// <summary>Encrypted with ASP.NET Core Data Protection; never returned by the API.</summary>
    public string? InboundPasswordProtected { get; set; }
    public string InboundFolder { get; set; } = "INBOX";
    public string? OutboundHost { get; set; }
    public int? OutboundPort { get; set; }
    public MailSecurity OutboundSecurity { get; set; }
    public string? OutboundUsername { get; set; }
    public string? OutboundPasswordProtected { get; set; }
    /// <summary>Send an acknowledgement with the ticket number when a new ticket arrives by mail.</summary>
    public bool AutoAcknowledge { get; set; } = true;
    public string? AcknowledgeTemplate { get; set; }
    public string? Signature { get; set; }
    /// <summary>IMAP: the folder's UIDVALIDITY and the highest UID already committed.</summary>
    public long? ImapUidValidity { get; set; }
    public long? ImapLastUid { get; set; }
    public DateTimeOffset? LastFetchAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum InboundMailStatus { Ingested, Quarantined, Bounce, Ignored }

/// <summary>
/// Every message that reached a mailbox, kept whatever became of it: the raw message's hash (the
/// bytes are in the file store), where it went and why. The unique (mailbox, key) pair is what
/// makes a re-delivery after a crash a no-op.
/// </summary>
public class InboundMail
{
    public long Id { get; set; }
    public long MailboxId { get; set; }
    /// <summary><c>mid:&lt;Message-ID&gt;</c>, or <c>sha:&lt;hash of the raw message&gt;</c> when it has none.</summary>
    public required string DedupKey { get; set; }
    public required string RawSha256 { get; set; }
    public long RawSize { get; set; }
    /// <summary>How it arrived: imap, pop3, smtp or pipe.</summary>
    public required string Source { get; set; }
    public InboundMailStatus Status { get; set; }
    /// <summary>Why it was quarantined, ignored or threaded where it was.</summary>
    public string? Reason { get; set; }
    public string? FromAddress { get; set; }
    public string? Subject { get; set; }
    public long? TicketId { get; set; }
    public long? MessageId { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

public enum OutboundMailStatus { Pending, Sent, Failed }

/// <summary>Reply: an agent's answer; AutoReply: an acknowledgement or rule reply; System: account and transcript mail.</summary>
public enum OutboundMailKind { Reply, AutoReply, System }

/// <summary>
/// The durable outbox: a mail is written here in the same transaction as the reply it carries,
/// and a worker sends it, retrying with back-off until the server takes it.
/// </summary>
public class OutboundMail
{
    public long Id { get; set; }
    public long MailboxId { get; set; }
    public long? TicketId { get; set; }
    public long? MessageId { get; set; }
    public OutboundMailKind Kind { get; set; }
    /// <summary>Our signed Message-ID, without angle brackets.</summary>
    public required string MessageIdHeader { get; set; }
    public string? InReplyTo { get; set; }
    public string? References { get; set; }
    public required string ToAddresses { get; set; }
    public string? CcAddresses { get; set; }
    public required string Subject { get; set; }
    public required string BodyText { get; set; }
    public string? BodyHtml { get; set; }
    /// <summary>Comma-separated attachment ids.</summary>
    public string? AttachmentIds { get; set; }
    public OutboundMailStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}

/// <summary>Someone besides the customer on a ticket's conversation (a CC), answered along with them.</summary>
public class TicketParticipant
{
    public long TicketId { get; set; }
    /// <summary>Lower-case email address.</summary>
    public required string Email { get; set; }
    public string? Name { get; set; }
}
