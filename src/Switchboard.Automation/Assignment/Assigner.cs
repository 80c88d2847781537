using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Tickets;

namespace Switchboard.Automation.Assignment;

/// <summary>
/// Auto-assignment: gives the unassigned tickets of departments in round-robin or least-loaded
/// mode to their online agents, within each agent's capacity for the ticket's channel and only to
/// agents who have the skills the ticket's tags ask for. Assigned tickets are never touched, so an
/// agent's or admin's choice always stands; a ticket assigned by hand while a pass runs keeps its
/// assignee (the update is conditional on the ticket still being unassigned).
/// </summary>
internal sealed class Assigner(SwitchboardDb db, TimeProvider time)
{
    /// <summary>Who appears in the ticket's history.</summary>
    public static readonly Actor Actor = new(ActorType.System, null, "Auto-assignment");

    /// <summary>Statuses that count against an agent's capacity: everything not finished.</summary>
    internal static readonly TicketStatus[] Unfinished = [TicketStatus.New, TicketStatus.Open, TicketStatus.Pending, TicketStatus.Answered];

    /// <summary>Statuses of tickets waiting to be handed out.</summary>
    private static readonly TicketStatus[] Waiting = [TicketStatus.New, TicketStatus.Open];

    /// <summary>Assigns up to <paramref name="limit"/> tickets per department; returns how many were assigned.</summary>
    public async Task<int> RunPassAsync(int limit, CancellationToken ct)
    {
        var departments = await db.Departments.AsNoTracking()
            .Where(d => d.AssignmentMode != AssignmentMode.Manual)
            .Select(d => new { d.Id, d.Name, d.AssignmentMode, d.LastAssignedAgentId })
            .ToListAsync(ct);
        if (departments.Count == 0) return 0;
        var assigned = 0;
        foreach (var department in departments)
        {
            assigned += await AssignDepartmentAsync(department.Id, department.AssignmentMode, department.LastAssignedAgentId, limit, ct);
        }
        return assigned;
    }

    private async Task<int> AssignDepartmentAsync(
        long departmentId, AssignmentMode mode, long? lastAssigned, int limit, CancellationToken ct)
    {
        var online = await db.Agents.AsNoTracking()
            .Where(a => a.IsActive && a.Availability == AgentAvailability.Online && a.Departments.Any(d => d.DepartmentId == departmentId))
            .OrderBy(a => a.Id)
            .Select(a => new
            {
                a.Id,
                Capacities = a.Capacities.Select(c => new { c.Channel, c.MaxOpen }).ToList(),
                Skills = a.Skills.Select(s => s.Tag).ToList(),
            })
            .ToListAsync(ct);
        if (online.Count == 0) return 0;
        var agents = online.Select(a => new Candidate(
            a.Id, a.Capacities.ToDictionary(c => c.Channel, c => c.MaxOpen), a.Skills.ToHashSet(StringComparer.Ordinal))).ToList();

        // Chats wait in the chat module's queue and ring agents there; auto-assignment leaves them alone.
        var backlog = await db.Tickets.AsNoTracking()
            .Where(t => t.DepartmentId == departmentId && t.AssigneeId == null && Waiting.Contains(t.Status)
                && t.MergedIntoId == null && t.Channel != Channel.Chat)
            .OrderBy(t => t.FirstResponseDueAt == null).ThenBy(t => t.FirstResponseDueAt).ThenBy(t => t.CreatedAt).ThenBy(t => t.Id)
            .Select(t => new { t.Id, t.Channel, Tags = t.Tags.Select(x => x.Tag!.Name).ToList() })
            .Take(limit)
            .ToListAsync(ct);
        if (backlog.Count == 0) return 0;
        // Read after the backlog: a skill given before a ticket was created is then always seen with it (read
        // earlier in the pass, a ticket created meanwhile could be handed out as if its tag needed no skill).
        var skillTags = (await db.AgentSkills.AsNoTracking().Select(s => s.Tag).Distinct().ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

        var ids = agents.Select(a => a.Id).ToList();
        var loads = await db.Tickets.AsNoTracking()
            .Where(t => t.AssigneeId != null && ids.Contains(t.AssigneeId.Value) && Unfinished.Contains(t.Status))
            .GroupBy(t => new { t.AssigneeId, t.Channel })
            .Select(g => new { g.Key.AssigneeId, g.Key.Channel, Count = g.Count() })
            .ToListAsync(ct);
        foreach (var load in loads)
        {
            var agent = agents.First(a => a.Id == load.AssigneeId);
            agent.Open[load.Channel] = load.Count;
            agent.Total += load.Count;
        }

        var now = time.GetUtcNow();
        var count = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var ticket in backlog)
        {
            var required = ticket.Tags.Where(skillTags.Contains).ToList();
            var eligible = agents.Where(a => a.HasRoomFor(ticket.Channel) && required.All(a.Skills.Contains)).ToList();
            if (eligible.Count == 0) continue;
            var chosen = mode == AssignmentMode.LeastLoaded
                ? eligible.OrderBy(a => a.Total).ThenBy(a => RoundRobinRank(a.Id, lastAssigned, ids)).First()
                : eligible.OrderBy(a => RoundRobinRank(a.Id, lastAssigned, ids)).First();

            var changed = await db.Tickets
                .Where(t => t.Id == ticket.Id && t.AssigneeId == null && Waiting.Contains(t.Status))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.AssigneeId, chosen.Id).SetProperty(t => t.UpdatedAt, now), ct);
            if (changed == 0) continue;
            History.Record(db, ticket.Id, Actor, "assignee_changed", now, "assignee", null, chosen.Id.ToString(CultureInfo.InvariantCulture));
            chosen.Open[ticket.Channel] = chosen.Open.GetValueOrDefault(ticket.Channel) + 1;
            chosen.Total++;
            lastAssigned = chosen.Id;
            count++;
        }
        if (count > 0)
        {
            var last = lastAssigned;
            await db.Departments.Where(d => d.Id == departmentId).ExecuteUpdateAsync(s => s.SetProperty(d => d.LastAssignedAgentId, last), ct);
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return count;
    }

    /// <summary>0 for the agent after the last one given a ticket, counting on in id order and wrapping around.</summary>
    private static int RoundRobinRank(long agentId, long? lastAssigned, List<long> orderedIds)
    {
        var position = orderedIds.IndexOf(agentId);
        var after = lastAssigned is { } last ? orderedIds.FindLastIndex(id => id <= last) : -1;
        return (position - after - 1 + orderedIds.Count) % orderedIds.Count;
    }

    private sealed record Candidate(long Id, Dictionary<Channel, int> Capacities, HashSet<string> Skills)
    {
        public Dictionary<Channel, int> Open { get; } = [];

        public int Total { get; set; }

        public bool HasRoomFor(Channel channel) =>
            !Capacities.TryGetValue(channel, out var max) || Open.GetValueOrDefault(channel) < max;
    }
}
