using System.Globalization;
using System.Security.Claims;
using Switchboard.Core.Model;

namespace Switchboard.Core.Security;

/// <summary>The signed-in agent as every module sees it: id, role and departments, read from the principal.</summary>
public sealed record CurrentAgent(long Id, string Name, AgentRole Role, IReadOnlySet<long> DepartmentIds)
{
    public const string IdClaim = "sb:agent";
    public const string RoleClaim = ClaimTypes.Role;
    public const string DepartmentClaim = "sb:dept";
    public const string NameClaim = ClaimTypes.Name;

    public bool IsAdmin => Role is AgentRole.Admin or AgentRole.Owner;

    /// <summary>Admins see every department; agents see tickets of their departments, without a department, or assigned to them.</summary>
    public bool CanSee(long? departmentId, long? assigneeId) =>
        IsAdmin || departmentId is null || DepartmentIds.Contains(departmentId.Value) || assigneeId == Id;

    public static CurrentAgent? From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var id = principal.FindFirstValue(IdClaim);
        if (id is null) return null;
        var role = Enum.TryParse<AgentRole>(principal.FindFirstValue(RoleClaim), true, out var r) ? r : AgentRole.Agent;
        var departments = principal.FindAll(DepartmentClaim)
            .Select(c => long.Parse(c.Value, CultureInfo.InvariantCulture))
            .ToHashSet();
        return new CurrentAgent(long.Parse(id, CultureInfo.InvariantCulture), principal.FindFirstValue(NameClaim) ?? "", role, departments);
    }

    public static ClaimsIdentity ToIdentity(long id, string name, AgentRole role, IEnumerable<long> departmentIds, string authenticationType)
    {
        var claims = new List<Claim>
        {
            new(IdClaim, id.ToString(CultureInfo.InvariantCulture)),
            new(NameClaim, name),
            new(RoleClaim, role.ToString().ToLowerInvariant()),
        };
        claims.AddRange(departmentIds.Select(d => new Claim(DepartmentClaim, d.ToString(CultureInfo.InvariantCulture))));
        return new ClaimsIdentity(claims, authenticationType, NameClaim, RoleClaim);
    }
}

public static class Policies
{
    public const string Agent = "agent";
    public const string Admin = "admin";
}
