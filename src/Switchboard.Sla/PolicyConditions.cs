using System.Text.Json;
using System.Text.Json.Serialization;
using Switchboard.Core.Model;

namespace Switchboard.Sla;

/// <summary>What a policy applies to. Every list given must contain the ticket's value; an empty or missing list matches everything.</summary>
public sealed record PolicyConditions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public long[]? DepartmentIds { get; init; }
    public TicketPriority[]? Priorities { get; init; }
    public Channel[]? Channels { get; init; }
    public long[]? CompanyIds { get; init; }
    public string[]? Tags { get; init; }

    [JsonIgnore]
    public bool UsesCompany => CompanyIds is { Length: > 0 };

    [JsonIgnore]
    public bool UsesTags => Tags is { Length: > 0 };

    public static PolicyConditions FromJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? new PolicyConditions() : JsonSerializer.Deserialize<PolicyConditions>(json, Json) ?? new PolicyConditions();

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public bool Matches(Ticket ticket, long? companyId, IReadOnlyCollection<string> tags)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return (DepartmentIds is not { Length: > 0 } || (ticket.DepartmentId is { } d && DepartmentIds.Contains(d)))
            && (Priorities is not { Length: > 0 } || Priorities.Contains(ticket.Priority))
            && (Channels is not { Length: > 0 } || Channels.Contains(ticket.Channel))
            && (CompanyIds is not { Length: > 0 } || (companyId is { } c && CompanyIds.Contains(c)))
            && (Tags is not { Length: > 0 } || Tags.Any(t => tags.Contains(t, StringComparer.OrdinalIgnoreCase)));
    }
}
