namespace Switchboard.Bench;

// Plain rows in the shape of the tables, with enums already in their stored lower-case form.

internal readonly record struct DepartmentRow(long Id, string Name, DateTimeOffset CreatedAt);

internal readonly record struct AgentRow(
    long Id, string Email, string Name, string PasswordHash, string Role, string Language, DateTimeOffset CreatedAt);

internal readonly record struct CompanyRow(long Id, string Name, string Domain, DateTimeOffset CreatedAt);

internal readonly record struct ContactRow(long Id, string Name, long? CompanyId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

internal readonly record struct IdentityRow(long Id, long ContactId, string Type, string Provider, string Value);

internal readonly record struct TicketRow(
    long Id, string Subject, string Status, string Priority, string Channel, long CustomerId, long? DepartmentId,
    long? AssigneeId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FirstResponseAt,
    DateTimeOffset? ResolvedAt, DateTimeOffset? LastMessageAt, int MessageCount);

internal readonly record struct MessageRow(
    long Id, long TicketId, string Kind, string Direction, string Channel, string AuthorType, long? AuthorAgentId,
    long? AuthorContactId, string BodyText, string? ExternalId, DateTimeOffset CreatedAt);

internal readonly record struct EventRow(
    long Id, long TicketId, string ActorType, long? ActorId, string? ActorName, string Type, string? Field,
    string? OldValue, string? NewValue, DateTimeOffset CreatedAt);

internal readonly record struct EntryRow(long Id, string Kind, long? TicketId, long? MessageId, long? ContactId, string Tokens);

/// <summary>Everything that does not scale with the ticket count.</summary>
internal sealed class ReferenceData
{
    public List<DepartmentRow> Departments { get; } = [];
    public List<AgentRow> Agents { get; } = [];
    public List<(long AgentId, long DepartmentId)> AgentDepartments { get; } = [];
    public List<CompanyRow> Companies { get; } = [];
    public List<(long Id, string Name)> Tags { get; } = [];
}

internal sealed class ContactBatch
{
    public List<ContactRow> Contacts { get; } = [];
    public List<IdentityRow> Identities { get; } = [];
    public List<EntryRow> Entries { get; } = [];
}

internal sealed class TicketBatch
{
    public List<TicketRow> Tickets { get; } = [];
    public List<MessageRow> Messages { get; } = [];
    public List<EventRow> Events { get; } = [];
    public List<(long TicketId, long TagId)> TicketTags { get; } = [];
    public List<EntryRow> Entries { get; } = [];
}
