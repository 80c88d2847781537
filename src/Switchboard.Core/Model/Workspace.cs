namespace Switchboard.Core.Model;

/// <summary>
/// A prepared answer agents insert into replies. Personal when it has an owner, shared with a
/// department when it has one, shared with everyone otherwise. The body may use placeholders such
/// as <c>{{customer.name}}</c>.
/// </summary>
public class CannedResponse
{
    public long Id { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public long? DepartmentId { get; set; }
    public long? OwnerAgentId { get; set; }
    public long? CreatedByAgentId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An agent's own inbox view: a name and the list filters it stands for, as a query string.</summary>
public class SavedFilter
{
    public long Id { get; set; }
    public long AgentId { get; set; }
    public required string Name { get; set; }
    public required string Query { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
