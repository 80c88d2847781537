using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Accounts;

public sealed record DepartmentDto(long Id, string Name, int AgentCount, AssignmentMode AssignmentMode, DateTimeOffset CreatedAt);

/// <summary>Creating needs a name; an update changes what it names. <paramref name="AgentIds"/>: the department's members, all of them.</summary>
public sealed record DepartmentRequest(string? Name, string? AssignmentMode = null, long[]? AgentIds = null);

internal static class DepartmentsApi
{
    /// <summary>Created on first run: the SLA defaults and the demo refer to these names.</summary>
    public static readonly string[] DefaultNames = ["Sales support", "Technical support", "Enterprise support"];

    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/departments").WithTags("Departments").RequireAuthorization(Policies.Agent);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:long}", GetAsync);
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.Admin);
        group.MapPatch("/{id:long}", UpdateAsync).RequireAuthorization(Policies.Admin);
        group.MapDelete("/{id:long}", DeleteAsync).RequireAuthorization(Policies.Admin);
    }

    // Filter and sort the entities, not the DTOs: EF cannot translate members of a constructed record.
    internal static IQueryable<DepartmentDto> Project(SwitchboardDb db, IQueryable<Department> departments) =>
        departments.AsNoTracking().Select(d => new DepartmentDto(
            d.Id, d.Name, db.AgentDepartments.Count(a => a.DepartmentId == d.Id), d.AssignmentMode, d.CreatedAt));

    private static async Task<Ok<ItemsDto<DepartmentDto>>> ListAsync(SwitchboardDb db, CancellationToken ct) =>
        TypedResults.Ok(new ItemsDto<DepartmentDto>(await Project(db, db.Departments.OrderBy(d => d.Name)).ToListAsync(ct)));

    private static async Task<Ok<DepartmentDto>> GetAsync(long id, SwitchboardDb db, CancellationToken ct) =>
        TypedResults.Ok(await Project(db, db.Departments.Where(d => d.Id == id)).FirstOrDefaultAsync(ct) ?? throw ProblemException.NotFound($"Department {id}"));

    private static async Task<Created<DepartmentDto>> CreateAsync(DepartmentRequest request, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var created = await CreateDepartmentAsync(db, time, request, ct);
        return TypedResults.Created($"/api/v1/departments/{created.Id}", created);
    }

    internal static async Task<DepartmentDto> CreateDepartmentAsync(SwitchboardDb db, TimeProvider time, DepartmentRequest request, CancellationToken ct)
    {
        var name = await UniqueNameAsync(db, request.Name, null, ct);
        var mode = Parse.OptionalEnum<AssignmentMode>(request.AssignmentMode, "assignmentMode") ?? AssignmentMode.Manual;
        var department = new Department { Name = name, AssignmentMode = mode, CreatedAt = time.GetUtcNow() };
        db.Departments.Add(department);
        await db.SaveChangesAsync(ct);
        return new DepartmentDto(department.Id, name, 0, mode, department.CreatedAt);
    }

    private static async Task<Ok<DepartmentDto>> UpdateAsync(long id, DepartmentRequest request, SwitchboardDb db, IMemoryCache cache, CancellationToken ct) =>
        TypedResults.Ok(await UpdateDepartmentAsync(db, cache, id, request, ct));

    internal static async Task<DepartmentDto> UpdateDepartmentAsync(SwitchboardDb db, IMemoryCache cache, long id, DepartmentRequest request, CancellationToken ct)
    {
        var department = await db.Departments.FirstOrDefaultAsync(d => d.Id == id, ct) ?? throw ProblemException.NotFound($"Department {id}");
        if (request.Name is not null) department.Name = await UniqueNameAsync(db, request.Name, id, ct);
        if (Parse.OptionalEnum<AssignmentMode>(request.AssignmentMode, "assignmentMode") is { } mode) department.AssignmentMode = mode;
        long[] changed = [];
        if (request.AgentIds is { } agentIds)
        {
            var wanted = agentIds.Distinct().ToArray();
            var existing = await db.Agents.Where(a => wanted.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
            var missing = wanted.Except(existing).ToArray();
            if (missing.Length > 0) throw ProblemException.Invalid("agentIds", $"Agent {string.Join(", ", missing)} does not exist.");
            var links = await db.AgentDepartments.Where(l => l.DepartmentId == id).ToListAsync(ct);
            var leaving = links.Where(l => !wanted.Contains(l.AgentId)).ToList();
            var joining = wanted.Except(links.Select(l => l.AgentId)).ToArray();
            db.AgentDepartments.RemoveRange(leaving);
            db.AgentDepartments.AddRange(joining.Select(a => new AgentDepartment { AgentId = a, DepartmentId = id }));
            changed = [.. leaving.Select(l => l.AgentId), .. joining];
        }
        await db.SaveChangesAsync(ct);
        // Departments decide which tickets an agent sees: their cached sign-ins must pick up the change at once.
        foreach (var agentId in changed) AgentCacheIndex.Forget(cache, agentId);
        return await Project(db, db.Departments.Where(d => d.Id == id)).FirstAsync(ct);
    }

    private static async Task<NoContent> DeleteAsync(long id, SwitchboardDb db, CancellationToken ct)
    {
        var department = await db.Departments.FirstOrDefaultAsync(d => d.Id == id, ct) ?? throw ProblemException.NotFound($"Department {id}");
        if (await db.Tickets.AnyAsync(t => t.DepartmentId == id, ct))
        {
            throw ProblemException.Conflict($"Department '{department.Name}' still has tickets; move them to another department first.");
        }
        db.Departments.Remove(department);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<string> UniqueNameAsync(SwitchboardDb db, string? name, long? exceptId, CancellationToken ct)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 100) throw ProblemException.Invalid("name", "The department name must have 1 to 100 characters.");
        if (await db.Departments.AnyAsync(d => d.Name == trimmed && d.Id != exceptId, ct))
        {
            throw ProblemException.Conflict($"A department named '{trimmed}' already exists.");
        }
        return trimmed;
    }
}
