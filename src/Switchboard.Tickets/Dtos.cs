using Switchboard.Core.Model;

namespace Switchboard.Tickets;

public sealed record CustomerRef(long Id, string Name, string? Email);

public sealed record TicketDto(
    long Id,
    long Number,
    string Subject,
    TicketStatus Status,
    TicketPriority Priority,
    Channel Channel,
    long? DepartmentId,
    long? AssigneeId,
    CustomerRef Customer,
    IReadOnlyList<string> Tags,
    int MessageCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastMessageAt,
    DateTimeOffset? FirstResponseAt,
    DateTimeOffset? ResolvedAt,
    long? FirstResponseSeconds,
    long? ResolutionSeconds,
    long? MergedIntoId,
    long? SplitFromId,
    long? FollowUpOfId,
    DateTimeOffset? FirstResponseDueAt,
    DateTimeOffset? NextResponseDueAt,
    DateTimeOffset? ResolutionDueAt,
    DateTimeOffset? SlaDueAt,
    SlaStatus SlaStatus,
    SatisfactionRating Rating,
    string? RatingComment,
    DateTimeOffset? RatedAt);

public sealed record AttachmentDto(long Id, string FileName, string ContentType, long Size, string Sha256, string Url, string? ContentId, bool IsInline);

public sealed record MessageDto(
    long Id,
    long TicketId,
    MessageKind Kind,
    MessageDirection Direction,
    Channel Channel,
    ActorType AuthorType,
    long? AuthorAgentId,
    long? AuthorContactId,
    string BodyText,
    string? BodyHtml,
    DateTimeOffset CreatedAt,
    string? From,
    string? To,
    string? Cc,
    string? ThreadingReason,
    string? DeliveryStatus,
    string? DeliveryError,
    IReadOnlyList<AttachmentDto> Attachments);

public sealed record TicketEventDto(
    long Id, string Type, ActorType ActorType, long? ActorId, string? ActorName,
    string? Field, string? OldValue, string? NewValue, DateTimeOffset CreatedAt);

public sealed record IdentityDto(long Id, IdentityType Type, string Provider, string Value);

public sealed record ContactDto(
    long Id, string Name, long? CompanyId, string? CompanyName, string? Notes,
    IReadOnlyList<IdentityDto> Identities, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long? MergedIntoId);

public sealed record CompanyDto(long Id, string Name, string? Domain, string? Notes, DateTimeOffset CreatedAt);

public sealed record TagDto(long Id, string Name, int TicketCount);

// Requests. Enumerations arrive as strings so a wrong value gets a message naming the allowed ones.

public sealed record CustomerInput(string? Email, string? Name, string? Phone);

public sealed record MessageInput(string? Body, string? Html, long[]? AttachmentIds);

public sealed record CreateTicketRequest(
    string? Subject, MessageInput? Message, CustomerInput? Customer, long? CustomerId, string? Priority, string? Status,
    long? DepartmentId, long? AssigneeId, string[]? Tags, string? Channel);

public sealed record UpdateTicketRequest(
    string? Subject, string? Status, string? Priority, long? DepartmentId, long? AssigneeId,
    bool? ClearDepartment, bool? ClearAssignee, string[]? Tags, string[]? AddTags, string[]? RemoveTags, long? CustomerId);

public sealed record BulkUpdateRequest(long[]? Ids, UpdateTicketRequest? Changes);

public sealed record BulkUpdateResult(int Updated, IReadOnlyList<long> NotFound);

public sealed record MergeTicketRequest(long? SourceTicketId);

public sealed record SplitTicketRequest(long? MessageId, string? Subject);

/// <summary><paramref name="Channel"/>: for a reply, email, chat or portal instead of the channel the customer last used.</summary>
public sealed record CreateMessageRequest(string? Body, string? Html, string? Kind, long[]? AttachmentIds, string? Channel = null);

public sealed record IdentityInput(string? Type, string? Value, string? Provider);

public sealed record CreateContactRequest(string? Name, long? CompanyId, string? Notes, IdentityInput[]? Identities);

public sealed record UpdateContactRequest(string? Name, long? CompanyId, bool? ClearCompany, string? Notes);

public sealed record FindOrCreateContactRequest(string? Type, string? Value, string? Provider, string? Name);

public sealed record MergeContactRequest(long? SourceContactId);

public sealed record CompanyRequest(string? Name, string? Domain, string? Notes);

public sealed record TagRequest(string? Name);
