namespace Switchboard.Core.Model;

/// <summary>How a widget's chats find an agent: in turn, or to whoever has fewest live chats.</summary>
public enum ChatRoutingMode { RoundRobin, LeastBusy }

/// <summary>Where a live chat stands: waiting for an agent, offered to one, being answered, over, or missed.</summary>
public enum ChatStatus { Queued, Ringing, Active, Ended, Missed }

/// <summary>The chat widget of one website: its public key, the sites allowed to embed it and how its chats are routed.</summary>
public class ChatWidget
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Public: it is in the embed snippet.</summary>
    public required string PublicKey { get; set; }
    /// <summary>Signs visitor identities (HMAC-SHA256); shown to administrators only, never logged.</summary>
    public required string IdentitySecret { get; set; }
    public long? DepartmentId { get; set; }
    /// <summary>Origins (scheme://host[:port]) allowed to embed the widget, one per line.</summary>
    public string AllowedOrigins { get; set; } = "";
    /// <summary>Extra pre-chat fields as JSON: [{"key","label","required"}].</summary>
    public string PreChatFields { get; set; } = "[]";
    public ChatRoutingMode RoutingMode { get; set; } = ChatRoutingMode.RoundRobin;
    public int RingTimeoutSeconds { get; set; } = 30;
    public int MaxQueueWaitSeconds { get; set; } = 180;
    /// <summary>Proactive invitations as JSON: [{"path","afterSeconds","message"}].</summary>
    public string Invitations { get; set; } = "[]";
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;
    /// <summary>Accepted file types, comma-separated (MIME types or prefixes such as image/).</summary>
    public string AllowedFileTypes { get; set; } = "image/,application/pdf,text/plain";
    /// <summary>Round-robin: the agent who was offered the last chat.</summary>
    public long? LastOfferedAgentId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One visitor's live chat; its transcript is the messages of <see cref="TicketId"/>.</summary>
public class ChatConversation
{
    public long Id { get; set; }
    public long WidgetId { get; set; }
    public long TicketId { get; set; }
    public Ticket? Ticket { get; set; }
    public long ContactId { get; set; }
    public Contact? Contact { get; set; }
    public long? DepartmentId { get; set; }
    /// <summary>SHA-256 of the visitor's token; the token itself stays in the visitor's browser.</summary>
    public required string VisitorTokenHash { get; set; }
    public ChatStatus Status { get; set; } = ChatStatus.Queued;
    public long? AgentId { get; set; }
    public long? RingingAgentId { get; set; }
    public DateTimeOffset? RingingSince { get; set; }
    /// <summary>Agents who declined or let this chat ring out, comma-separated; they are not offered it again.</summary>
    public string PassedAgentIds { get; set; } = "";
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public required string VisitorName { get; set; }
    public string? VisitorEmail { get; set; }
    /// <summary>Whether the site vouched for the visitor's identity with a valid signature.</summary>
    public bool IdentityVerified { get; set; }
    /// <summary>Answers to the widget's extra pre-chat fields, as a JSON object.</summary>
    public string PreChatValues { get; set; } = "{}";
    public string? CurrentPage { get; set; }
    /// <summary>Pages the visitor opened, newest last, one per line (the last 50).</summary>
    public string PagesVisited { get; set; } = "";
    public string? Referrer { get; set; }
    public string? Locale { get; set; }
    public string? UserAgent { get; set; }
    public long LastReadByVisitor { get; set; }
    public long LastReadByAgent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One chat line, in order (<see cref="Id"/>), de-duplicated by the sender's client id.</summary>
public class ChatLine
{
    public long Id { get; set; }
    public long ConversationId { get; set; }
    public ChatConversation? Conversation { get; set; }
    public required string ClientId { get; set; }
    /// <summary>The ticket message holding the text (the transcript in the inbox).</summary>
    public long MessageId { get; set; }
    public Message? Message { get; set; }
    public ActorType SenderType { get; set; }
    public long? AgentId { get; set; }
    public required string Text { get; set; }
    public long? AttachmentId { get; set; }
    public Attachment? Attachment { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
