using System.ComponentModel.DataAnnotations;

namespace Switchboard.Email;

public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>Largest inbound message accepted; larger ones are quarantined (SMTP: refused at MAIL FROM/DATA).</summary>
    [Range(1024, 1L << 31)]
    public long MaxMessageBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>A reply to a ticket closed longer ago than this starts a new ticket linked to the old one.</summary>
    public TimeSpan ReopenWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Automatic mails (acknowledgements) per sender per hour; a loop stops here at the latest.</summary>
    [Range(0, 100)]
    public int AutoRepliesPerSenderPerHour { get; set; } = 3;

    /// <summary>Domain part of our Message-IDs; defaults to the mailbox's domain.</summary>
    public string? MessageIdDomain { get; set; }

    /// <summary>How often IMAP folders without IDLE, and POP3 mailboxes, are polled.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>IDLE is renewed before this; servers drop idle clients after 30 minutes (RFC 3501), many sooner.</summary>
    public TimeSpan IdleRenewal { get; set; } = TimeSpan.FromMinutes(9);

    /// <summary>Run the IMAP/POP3 fetchers and the outbox sender in this process.</summary>
    public bool RunWorkers { get; set; } = true;

    /// <summary>How often the outbox looks for mail to send when nothing woke it.</summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(1, 100)]
    public int MaxSendAttempts { get; set; } = 12;

    /// <summary>Wait before the first retry of a mail the SMTP server did not take; it doubles with each failure, up to an hour.</summary>
    public TimeSpan SendRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public InboundSmtpOptions InboundSmtp { get; set; } = new();
}

public sealed class InboundSmtpOptions
{
    /// <summary>Address and port to accept mail on, e.g. <c>127.0.0.1:2525</c>; empty to not listen.</summary>
    public string? Listen { get; set; }

    /// <summary>Server name announced in the greeting.</summary>
    public string ServerName { get; set; } = "switchboard";
}
