using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Tickets;

/// <summary>Every read and write of a ticket goes through here, so department access is checked on the object itself.</summary>
internal static class TicketAccess
{
    public static IQueryable<Ticket> Visible(this IQueryable<Ticket> tickets, CurrentAgent agent)
    {
        if (agent.IsAdmin) return tickets;
        var departments = agent.DepartmentIds.ToArray();
        var me = agent.Id;
        return tickets.Where(t => t.DepartmentId == null || departments.Contains(t.DepartmentId.Value) || t.AssigneeId == me);
    }

    /// <summary>Refuses (404) a ticket the agent may not see, reading only the two columns the rule needs.</summary>
    public static async Task EnsureVisibleAsync(SwitchboardDb db, CurrentAgent agent, long id, CancellationToken ct)
    {
        var owner = await db.Tickets.AsNoTracking().Where(t => t.Id == id)
            .Select(t => new { t.DepartmentId, t.AssigneeId })
            .FirstOrDefaultAsync(ct);
        if (owner is null || !agent.CanSee(owner.DepartmentId, owner.AssigneeId))
        {
            throw ProblemException.NotFound($"Ticket {id}");
        }
    }

    public static async Task<Ticket> LoadAsync(SwitchboardDb db, CurrentAgent agent, long id, CancellationToken ct, bool withTags = false)
    {
        IQueryable<Ticket> query = db.Tickets;
        if (withTags) query = query.Include(t => t.Tags).ThenInclude(t => t.Tag);
        var ticket = await query.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (ticket is null || !agent.CanSee(ticket.DepartmentId, ticket.AssigneeId))
        {
            throw ProblemException.NotFound($"Ticket {id}");
        }
        return ticket;
    }
}
