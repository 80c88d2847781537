namespace Switchboard.Core.Model;

public class Contact
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public long? CompanyId { get; set; }
    public Company? Company { get; set; }
    public string? Notes { get; set; }
    public long? MergedIntoId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<ContactIdentity> Identities { get; set; } = [];
}

/// <summary>One way to reach a contact: an email address, a phone number or a handle on a channel.</summary>
public class ContactIdentity
{
    public long Id { get; set; }
    public long ContactId { get; set; }
    public IdentityType Type { get; set; }
    /// <summary>For handles, the channel they belong to (e.g. "telegram").</summary>
    public string Provider { get; set; } = "";
    /// <summary>Normalized value: lower-case email, digits-only phone with a leading +.</summary>
    public required string Value { get; set; }
}

public class Company
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string? Domain { get; set; }
    public string? Notes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public class Department
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Appended to replies sent from this department; may use placeholders such as {{agent.name}}.</summary>
    public string? Signature { get; set; }
    /// <summary>The working hours SLA targets of this department's tickets count in; null: the default calendar.</summary>
    public long? CalendarId { get; set; }
    /// <summary>How new tickets of this department find an agent: by hand, in turn, or to whoever has least open.</summary>
    public AssignmentMode AssignmentMode { get; set; } = AssignmentMode.Manual;
    /// <summary>Round-robin: the agent who was given the last ticket; the next goes to the one after.</summary>
    public long? LastAssignedAgentId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public class Agent
{
    public long Id { get; set; }
    /// <summary>Lower-case, trimmed.</summary>
    public required string Email { get; set; }
    public required string Name { get; set; }
    public string PasswordHash { get; set; } = "";
    public AgentRole Role { get; set; } = AgentRole.Agent;
    public bool IsActive { get; set; } = true;
    public int FailedSignIns { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public string Language { get; set; } = "en";
    public string TimeZone { get; set; } = "UTC";
    public DateTimeOffset CreatedAt { get; set; }
    public List<AgentDepartment> Departments { get; set; } = [];
    /// <summary>Whether the agent takes work now. Chat routing and auto-assignment give work only to online agents.</summary>
    public AgentAvailability Availability { get; set; } = AgentAvailability.Offline;
    public DateTimeOffset? AvailabilityChangedAt { get; set; }
    /// <summary>How many open tickets (or live chats) per channel the agent handles at once; a channel not listed has no limit.</summary>
    public List<AgentCapacity> Capacities { get; set; } = [];
    /// <summary>Tags the agent is skilled for; tickets carrying a skill tag go only to agents who have it.</summary>
    public List<AgentSkill> Skills { get; set; } = [];
}

public class AgentCapacity
{
    public long AgentId { get; set; }
    public Channel Channel { get; set; }
    public int MaxOpen { get; set; }
}

public class AgentSkill
{
    public long AgentId { get; set; }
    /// <summary>A tag name, lower-case.</summary>
    public required string Tag { get; set; }
}

public class AgentDepartment
{
    public long AgentId { get; set; }
    public long DepartmentId { get; set; }
}

/// <summary>A bearer token: a sign-in session or a named API token. Only its SHA-256 is stored.</summary>
public class ApiToken
{
    public long Id { get; set; }
    public long AgentId { get; set; }
    public Agent? Agent { get; set; }
    public required string Name { get; set; }
    public TokenKind Kind { get; set; }
    public required string TokenHash { get; set; }
    /// <summary>The first characters of the token, shown so people can tell tokens apart.</summary>
    public required string Prefix { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>Instance-wide key/value settings (e.g. the one-time setup token's hash).</summary>
public class InstanceSetting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}
