namespace Switchboard.Core.Model;

/// <summary>One customer inquiry, whatever the channel. Its id is also the number people quote.</summary>
public class Ticket
{
    public long Id { get; set; }
    public required string Subject { get; set; }
    public TicketStatus Status { get; set; } = TicketStatus.New;
    public TicketPriority Priority { get; set; } = TicketPriority.Normal;
    public Channel Channel { get; set; } = Channel.Api;
    public long CustomerId { get; set; }
    public Contact? Customer { get; set; }
    public long? DepartmentId { get; set; }
    public Department? Department { get; set; }
    public long? AssigneeId { get; set; }
    public Agent? Assignee { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? FirstResponseAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public DateTimeOffset? LastMessageAt { get; set; }
    public int MessageCount { get; set; }
    public long? MergedIntoId { get; set; }
    public long? SplitFromId { get; set; }
    /// <summary>The earlier, closed ticket this one follows up.</summary>
    public long? FollowUpOfId { get; set; }
    /// <summary>SLA: the policy that applies, the due times it sets, and where the ticket stands against them.</summary>
    public long? SlaPolicyId { get; set; }
    public DateTimeOffset? FirstResponseDueAt { get; set; }
    public DateTimeOffset? NextResponseDueAt { get; set; }
    public DateTimeOffset? ResolutionDueAt { get; set; }
    public DateTimeOffset? FirstResponseWarnAt { get; set; }
    public DateTimeOffset? NextResponseWarnAt { get; set; }
    public DateTimeOffset? ResolutionWarnAt { get; set; }
    public SlaStatus SlaStatus { get; set; }
    public DateTimeOffset? SlaPausedAt { get; set; }
    /// <summary>When the SLA worker must look at this ticket next (a warning or a due time); indexed, so a pass reads only what is due.</summary>
    public DateTimeOffset? SlaNextCheckAt { get; set; }
    /// <summary>Warnings and breaches already announced, so each is raised once: bit flags of <c>SlaTargets</c>.</summary>
    public int SlaWarned { get; set; }
    public int SlaBreached { get; set; }
    /// <summary>
    /// The nearest due time of the running targets, for sorting the inbox by urgency with an index;
    /// <see cref="NothingDue"/> when no target runs, so those tickets come last.
    /// </summary>
    public DateTimeOffset SlaDueAt { get; set; } = NothingDue;

    /// <summary>The sort key of a ticket with nothing due: later than any real due time.</summary>
    public static readonly DateTimeOffset NothingDue = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);
    /// <summary>Satisfaction, as the customer rated it (portal, chat end, survey link).</summary>
    public SatisfactionRating Rating { get; set; }
    public string? RatingComment { get; set; }
    public DateTimeOffset? RatedAt { get; set; }
    public List<TicketTag> Tags { get; set; } = [];
    public List<Message> Messages { get; set; } = [];
}

public class Message
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public Ticket? Ticket { get; set; }
    public MessageKind Kind { get; set; }
    public MessageDirection Direction { get; set; }
    public Channel Channel { get; set; }
    public ActorType AuthorType { get; set; }
    public long? AuthorAgentId { get; set; }
    public long? AuthorContactId { get; set; }
    public required string BodyText { get; set; }
    public string? BodyHtml { get; set; }
    /// <summary>The message's id on its channel (an email Message-ID, a chat client id), for de-duplication and threading.</summary>
    public string? ExternalId { get; set; }
    /// <summary>Why an inbound message joined this ticket (or started it), in words an agent understands.</summary>
    public string? ThreadingReason { get; set; }
    /// <summary>Email addresses as sent or received, comma-separated.</summary>
    public string? FromAddress { get; set; }
    public string? ToAddresses { get; set; }
    public string? CcAddresses { get; set; }
    /// <summary>For messages sent out on a channel: queued, sent or failed (e.g. bounced).</summary>
    public string? DeliveryStatus { get; set; }
    public string? DeliveryError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<Attachment> Attachments { get; set; } = [];
}

public class Attachment
{
    public long Id { get; set; }
    public long? MessageId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    /// <summary>Lower-case hex SHA-256 of the content; the file store is addressed by it.</summary>
    public required string Sha256 { get; set; }
    /// <summary>For images shown inside an email's HTML: the Content-ID its <c>cid:</c> links use.</summary>
    public string? ContentId { get; set; }
    public bool IsInline { get; set; }
    public long? UploadedByAgentId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One change to a ticket: who did what, when.</summary>
public class TicketEvent
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public Ticket? Ticket { get; set; }
    public ActorType ActorType { get; set; }
    public long? ActorId { get; set; }
    public string? ActorName { get; set; }
    public required string Type { get; set; }
    public string? Field { get; set; }
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public class Tag
{
    public long Id { get; set; }
    public required string Name { get; set; }
}

public class TicketTag
{
    public long TicketId { get; set; }
    public long TagId { get; set; }
    public Tag? Tag { get; set; }
}

/// <summary>Pre-tokenized text for full-text search; each database indexes <see cref="Tokens"/> its own way.</summary>
public class SearchEntry
{
    public long Id { get; set; }
    public SearchEntryKind Kind { get; set; }
    public long? TicketId { get; set; }
    public Ticket? Ticket { get; set; }
    public long? MessageId { get; set; }
    public Message? Message { get; set; }
    public long? ContactId { get; set; }
    public Contact? Contact { get; set; }
    public required string Tokens { get; set; }
}
