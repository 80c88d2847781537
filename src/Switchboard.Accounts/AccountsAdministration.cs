using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Security;

namespace Switchboard.Accounts;

/// <summary>
/// Departments, agents and API tokens for the workspace's settings, with the same checks as the
/// REST API (the same code runs behind both).
/// </summary>
public sealed class AccountsAdministration(SwitchboardDb db, TimeProvider time, IOptions<AccountsOptions> options, IMemoryCache cache)
{
    public Task<DepartmentDto> CreateDepartmentAsync(CurrentAgent me, string? name, CancellationToken ct)
    {
        RequireAdmin(me);
        return DepartmentsApi.CreateDepartmentAsync(db, time, new DepartmentRequest(name), ct);
    }

    /// <summary>Renames a department, changes how its tickets are assigned (manual, roundRobin, leastLoaded) or who its members are.</summary>
    public Task<DepartmentDto> UpdateDepartmentAsync(CurrentAgent me, long id, DepartmentRequest request, CancellationToken ct)
    {
        RequireAdmin(me);
        return DepartmentsApi.UpdateDepartmentAsync(db, cache, id, request, ct);
    }

    public Task<AgentDto> CreateAgentAsync(CurrentAgent me, CreateAgentRequest request, CancellationToken ct) =>
        AgentsApi.CreateAgentAsync(db, time, options.Value, me, request, ct);

    public Task<AgentDto> UpdateAgentAsync(CurrentAgent me, long id, UpdateAgentRequest request, CancellationToken ct) =>
        AgentsApi.UpdateAgentAsync(db, cache, options.Value, me, id, request, ct);

    public Task<IReadOnlyList<ApiTokenDto>> TokensAsync(CurrentAgent me, CancellationToken ct) => TokensApi.ListTokensAsync(db, me, ct);

    public Task<CreatedApiTokenDto> CreateTokenAsync(CurrentAgent me, CreateApiTokenRequest request, CancellationToken ct) =>
        TokensApi.CreateTokenAsync(db, time, me, request, ct);

    public Task RevokeTokenAsync(CurrentAgent me, long id, CancellationToken ct) => TokensApi.RevokeTokenAsync(db, cache, time, me, id, ct);

    private static void RequireAdmin(CurrentAgent me)
    {
        ArgumentNullException.ThrowIfNull(me);
        if (!me.IsAdmin) throw ProblemException.Forbidden("Only administrators can manage departments.");
    }
}
