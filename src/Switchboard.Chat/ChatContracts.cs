namespace Switchboard.Chat;

/// <summary>What the server calls on a visitor's connection (the widget).</summary>
public interface IVisitorClient
{
    Task Line(ChatLineDto line);

    Task State(VisitorState state);

    Task AgentTyping(bool typing);

    Task Read(long upToId);
}

/// <summary>What the server calls on an agent's connections (the agent workspace).</summary>
public interface IAgentChatClient
{
    /// <summary>A chat rings for this agent until <see cref="ChatOfferDto.ExpiresAt"/>.</summary>
    Task Offered(ChatOfferDto offer);

    /// <summary>The offer rang out, was declined or was taken by someone else.</summary>
    Task OfferWithdrawn(long conversationId);

    /// <summary>A chat is now this agent's (taken, or transferred to them).</summary>
    Task Assigned(ChatSummaryDto chat);

    Task Line(long conversationId, ChatLineDto line);

    /// <summary>What the visitor is typing, before it is sent (empty when they cleared it).</summary>
    Task VisitorTyping(long conversationId, string preview);

    /// <summary>The visitor moved to another page, or their details changed.</summary>
    Task VisitorUpdated(ChatSummaryDto chat);

    Task ReadByVisitor(long conversationId, long upToId);

    Task Ended(long conversationId, string endedBy);
}

/// <summary>A file sent in a chat; <see cref="Url"/> is relative to the host.</summary>
public sealed record ChatFileDto(long Id, string Name, string ContentType, long Size, string Url);

/// <summary>One chat line. <see cref="Sender"/> is visitor or agent.</summary>
public sealed record ChatLineDto(long Id, string ClientId, string Sender, long? AgentId, string? AgentName, string Text, ChatFileDto? File, DateTimeOffset At);

/// <summary>Where the visitor's chat stands; <see cref="Lines"/> only when the whole conversation is sent.</summary>
public sealed record VisitorState(
    long ConversationId, string Status, int? QueuePosition, string? AgentName, IReadOnlyList<ChatLineDto>? Lines, long LastReadByAgent, bool Rated);

/// <summary>A chat as agents see it, with the visitor's tracking details.</summary>
public sealed record ChatSummaryDto(
    long Id, long TicketId, long WidgetId, string Status, string VisitorName, string? VisitorEmail, bool IdentityVerified,
    long? AgentId, long? DepartmentId, string? CurrentPage, IReadOnlyList<string> PagesVisited, string? Referrer, string? Locale,
    string? UserAgent, IReadOnlyDictionary<string, string> PreChat, DateTimeOffset QueuedAt, DateTimeOffset? AcceptedAt,
    DateTimeOffset? EndedAt, long LastReadByVisitor);

public sealed record ChatOfferDto(ChatSummaryDto Chat, string? FirstMessage, DateTimeOffset ExpiresAt);
