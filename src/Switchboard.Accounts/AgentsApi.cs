using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Events;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Accounts;

public sealed record AgentDto(
    long Id, string Email, string Name, AgentRole Role, bool IsActive, long[] DepartmentIds,
    string Language, string TimeZone, DateTimeOffset CreatedAt, DateTimeOffset? LockedUntil,
    AgentAvailability Availability, DateTimeOffset? AvailabilityChangedAt, IReadOnlyDictionary<string, int> Capacities, string[] Skills)
{
    /// <summary>From an agent loaded with <see cref="AgentQueries.WithProfile"/>.</summary>
    public static AgentDto From(Agent a) => new(
        a.Id, a.Email, a.Name, a.Role, a.IsActive, a.Departments.Select(d => d.DepartmentId).Order().ToArray(),
        a.Language, a.TimeZone, a.CreatedAt, a.LockedUntil, a.Availability, a.AvailabilityChangedAt,
        a.Capacities.OrderBy(c => c.Channel).ToDictionary(c => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(c.Channel.ToString()), c => c.MaxOpen),
        a.Skills.Select(s => s.Tag).Order(StringComparer.Ordinal).ToArray());
}

public static class AgentQueries
{
    /// <summary>An agent with everything <see cref="AgentDto"/> shows.</summary>
    public static IQueryable<Agent> WithProfile(this IQueryable<Agent> agents) =>
        agents.Include(a => a.Departments).Include(a => a.Capacities).Include(a => a.Skills).AsSplitQuery();
}

public sealed record SetAvailabilityRequest(string? Availability);

public sealed record CreateAgentRequest(string? Email, string? Name, string? Password, string? Role, long[]? DepartmentIds, string? Language, string? TimeZone);

public sealed record UpdateAgentRequest(
    string? Name, string? Password, string? Role, long[]? DepartmentIds, bool? IsActive, string? Language, string? TimeZone, bool? Unlock,
    Dictionary<string, int>? Capacities = null, string[]? Skills = null);

internal static class AgentsApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var agents = api.MapGroup("/agents").WithTags("Agents").RequireAuthorization(Policies.Agent);
        agents.MapGet("/", ListAsync);
        agents.MapGet("/{id:long}", GetAsync);
        agents.MapPost("/", CreateAsync).RequireAuthorization(Policies.Admin);
        agents.MapPatch("/{id:long}", UpdateAsync);
        // Literal segments win over {id:long}, so /me never reaches the route below.
        agents.MapPut("/me/availability", (SetAvailabilityRequest request, HttpContext http, SwitchboardDb db, TimeProvider time, AgentPresence presence, CancellationToken ct) =>
            SetAvailabilityAsync(CurrentAgent.From(http.User)!.Id, request, http, db, time, presence, ct))
            .WithSummary("Go online, away or offline. Online agents receive chats and auto-assigned tickets.");
        agents.MapPut("/{id:long}/availability", SetAvailabilityAsync)
            .WithSummary("Set an agent's availability (yourself, or anyone as an administrator).");
    }

    private static async Task<Ok<AgentDto>> SetAvailabilityAsync(
        long id, SetAvailabilityRequest request, HttpContext http, SwitchboardDb db, TimeProvider time, AgentPresence presence, CancellationToken ct) =>
        TypedResults.Ok(await ChangeAvailabilityAsync(db, time, presence, CurrentAgent.From(http.User)!, id, request, ct));

    internal static async Task<AgentDto> ChangeAvailabilityAsync(
        SwitchboardDb db, TimeProvider time, AgentPresence presence, CurrentAgent me, long id, SetAvailabilityRequest request, CancellationToken ct)
    {
        if (me.Id != id && !me.IsAdmin) throw ProblemException.Forbidden("Only administrators can change another agent's availability.");
        var availability = Parse.Enum<AgentAvailability>(request.Availability ?? "", "availability");
        var agent = await db.Agents.WithProfile().FirstOrDefaultAsync(a => a.Id == id, ct)
            ?? throw ProblemException.NotFound($"Agent {id}");
        if (agent.Availability != availability)
        {
            agent.Availability = availability;
            agent.AvailabilityChangedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            presence.Announce(agent.Id, availability);
        }
        return AgentDto.From(agent);
    }

    private static async Task<Ok<ItemsDto<AgentDto>>> ListAsync(SwitchboardDb db, CancellationToken ct)
    {
        var list = await db.Agents.AsNoTracking().WithProfile().OrderBy(a => a.Name).ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<AgentDto>(list.Select(AgentDto.From).ToList()));
    }

    private static async Task<Ok<AgentDto>> GetAsync(long id, SwitchboardDb db, CancellationToken ct)
    {
        var agent = await db.Agents.AsNoTracking().WithProfile().FirstOrDefaultAsync(a => a.Id == id, ct)
            ?? throw ProblemException.NotFound($"Agent {id}");
        return TypedResults.Ok(AgentDto.From(agent));
    }

    internal static async Task<Created<AgentDto>> CreateAsync(
        CreateAgentRequest request, HttpContext http, SwitchboardDb db, TimeProvider time, IOptions<AccountsOptions> options, CancellationToken ct)
    {
        var created = await CreateAgentAsync(db, time, options.Value, CurrentAgent.From(http.User)!, request, ct);
        return TypedResults.Created($"/api/v1/agents/{created.Id}", created);
    }

    internal static async Task<AgentDto> CreateAgentAsync(
        SwitchboardDb db, TimeProvider time, AccountsOptions options, CurrentAgent me, CreateAgentRequest request, CancellationToken ct)
    {
        var email = Parse.Email(request.Email);
        var name = RequireName(request.Name);
        Passwords.Validate(request.Password, options.MinPasswordLength);
        var role = ParseRole(request.Role) ?? AgentRole.Agent;
        EnsureMayGrant(me, role);
        if (await db.Agents.AnyAsync(a => a.Email == email, ct))
        {
            throw ProblemException.Conflict($"An agent with the email address {email} already exists.");
        }
        var agent = new Agent
        {
            Email = email,
            Name = name,
            Role = role,
            CreatedAt = time.GetUtcNow(),
            Language = request.Language is null ? "en" : ValidLanguage(request.Language),
            TimeZone = ValidTimeZone(request.TimeZone) ?? "UTC",
        };
        agent.PasswordHash = Passwords.Hash(agent, request.Password!);
        agent.Departments = await DepartmentLinksAsync(db, request.DepartmentIds, ct);
        db.Agents.Add(agent);
        await db.SaveChangesAsync(ct);
        return AgentDto.From(agent);
    }

    private static async Task<Ok<AgentDto>> UpdateAsync(
        long id, UpdateAgentRequest request, HttpContext http, SwitchboardDb db, IMemoryCache cache, IOptions<AccountsOptions> options, CancellationToken ct) =>
        TypedResults.Ok(await UpdateAgentAsync(db, cache, options.Value, CurrentAgent.From(http.User)!, id, request, ct));

    /// <summary>An agent changes themself (name, language, time zone, password); administrators change anyone.</summary>
    internal static async Task<AgentDto> UpdateAgentAsync(
        SwitchboardDb db, IMemoryCache cache, AccountsOptions options, CurrentAgent me, long id, UpdateAgentRequest request, CancellationToken ct)
    {
        var self = me.Id == id;
        if (!self && !me.IsAdmin) throw ProblemException.Forbidden("Only administrators can change other agents.");
        var agent = await db.Agents.WithProfile().FirstOrDefaultAsync(a => a.Id == id, ct)
            ?? throw ProblemException.NotFound($"Agent {id}");
        if (agent.Role == AgentRole.Owner && me.Role != AgentRole.Owner)
        {
            throw ProblemException.Forbidden("Only an owner can change an owner.");
        }
        if (request.Name is not null) agent.Name = RequireName(request.Name);
        if (request.Language is not null) agent.Language = ValidLanguage(request.Language);
        if (request.TimeZone is not null) agent.TimeZone = ValidTimeZone(request.TimeZone)!;
        if (request.Password is not null)
        {
            Passwords.Validate(request.Password, options.MinPasswordLength);
            agent.PasswordHash = Passwords.Hash(agent, request.Password);
        }
        var adminOnly = request.Role is not null || request.DepartmentIds is not null || request.IsActive is not null || request.Unlock is not null
            || request.Capacities is not null || request.Skills is not null;
        if (adminOnly && !me.IsAdmin) throw ProblemException.Forbidden("Only administrators can change roles, departments, routing or access.");
        if (ParseRole(request.Role) is { } role)
        {
            EnsureMayGrant(me, role);
            if (agent.Role == AgentRole.Owner && role != AgentRole.Owner)
            {
                await EnsureAnotherOwnerAsync(db, agent.Id, ct);
            }
            agent.Role = role;
        }
        if (request.IsActive is { } active)
        {
            if (!active && agent.Role == AgentRole.Owner) await EnsureAnotherOwnerAsync(db, agent.Id, ct);
            agent.IsActive = active;
        }
        if (request.Unlock == true)
        {
            agent.LockedUntil = null;
            agent.FailedSignIns = 0;
        }
        if (request.DepartmentIds is not null)
        {
            db.AgentDepartments.RemoveRange(agent.Departments);
            agent.Departments = await DepartmentLinksAsync(db, request.DepartmentIds, ct);
        }
        if (request.Capacities is not null)
        {
            db.AgentCapacities.RemoveRange(agent.Capacities);
            agent.Capacities = ParseCapacities(request.Capacities);
        }
        if (request.Skills is not null)
        {
            db.AgentSkills.RemoveRange(agent.Skills);
            agent.Skills = request.Skills.Select(t => Parse.Text(t, "skills", 100).ToLowerInvariant()).Distinct(StringComparer.Ordinal)
                .Select(t => new AgentSkill { Tag = t }).ToList();
        }
        await db.SaveChangesAsync(ct);
        AgentCacheIndex.Forget(cache, agent.Id);
        return AgentDto.From(agent);
    }

    private static List<AgentCapacity> ParseCapacities(Dictionary<string, int> capacities)
    {
        var list = new List<AgentCapacity>();
        foreach (var (name, max) in capacities)
        {
            var channel = Parse.Enum<Channel>(name, "capacities");
            if (max is < 0 or > 10_000) throw ProblemException.Invalid("capacities", $"The capacity for {name} must be between 0 and 10000.");
            list.Add(new AgentCapacity { Channel = channel, MaxOpen = max });
        }
        return list;
    }

    private static async Task EnsureAnotherOwnerAsync(SwitchboardDb db, long agentId, CancellationToken ct)
    {
        if (!await db.Agents.AnyAsync(a => a.Role == AgentRole.Owner && a.IsActive && a.Id != agentId, ct))
        {
            throw ProblemException.Conflict("The instance needs at least one active owner; make someone else owner first.");
        }
    }

    private static void EnsureMayGrant(CurrentAgent me, AgentRole role)
    {
        if (!me.IsAdmin) throw ProblemException.Forbidden("Only administrators can manage agents.");
        if (role == AgentRole.Owner && me.Role != AgentRole.Owner)
        {
            throw ProblemException.Forbidden("Only an owner can make someone an owner.");
        }
    }

    private static async Task<List<AgentDepartment>> DepartmentLinksAsync(SwitchboardDb db, long[]? ids, CancellationToken ct)
    {
        if (ids is null || ids.Length == 0) return [];
        var distinct = ids.Distinct().ToArray();
        var found = await db.Departments.Where(d => distinct.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct);
        var missing = distinct.Except(found).ToArray();
        if (missing.Length > 0)
        {
            throw ProblemException.Invalid("departmentIds", $"Department {string.Join(", ", missing)} does not exist.");
        }
        return distinct.Select(d => new AgentDepartment { DepartmentId = d }).ToList();
    }


    private static string RequireName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 200) throw ProblemException.Invalid("name", "The name must have 1 to 200 characters.");
        return trimmed;
    }

    private static AgentRole? ParseRole(string? role)
    {
        if (role is null) return null;
        return Enum.TryParse<AgentRole>(role, true, out var r) && Enum.IsDefined(r)
            ? r
            : throw ProblemException.Invalid("role", $"'{role}' is not a role; use owner, admin or agent.");
    }

    /// <summary>The languages the workspace speaks.</summary>
    public static readonly string[] Languages = ["en", "fil", "zh-Hans"];

    private static string ValidLanguage(string language) =>
        Languages.FirstOrDefault(l => string.Equals(l, language.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw ProblemException.Invalid("language", $"'{language}' is not a language of the workspace; use one of: {string.Join(", ", Languages)}.");

    private static string? ValidTimeZone(string? zone)
    {
        if (zone is null) return null;
        return TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)
            ? zone
            : throw ProblemException.Invalid("timeZone", $"'{zone}' is not a known time zone; use an IANA name such as Asia/Manila.");
    }
}

