using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;
using Switchboard.Core.Text;
using Switchboard.Tickets;

namespace Switchboard.Workspace;

public sealed record CannedResponseDto(long Id, string Title, string Body, long? DepartmentId, bool Personal, DateTimeOffset UpdatedAt);

/// <summary><c>personal</c>: only for me; otherwise shared with <c>departmentId</c>'s agents, or with everyone when none is given.</summary>
public sealed record CannedResponseRequest(string? Title, string? Body, long? DepartmentId, bool? Personal);

public sealed record RenderCannedResponseRequest(long? TicketId);

public sealed record RenderedCannedResponseDto(string Body);

/// <summary>
/// Canned responses: an agent sees their own, the shared ones of their departments and those
/// shared with everyone. Anyone keeps personal responses; administrators manage shared ones.
/// </summary>
internal sealed class CannedResponses(SwitchboardDb db, TimeProvider time, TicketService tickets)
{
    private IQueryable<CannedResponse> Visible(CurrentAgent me)
    {
        var departments = me.DepartmentIds.ToArray();
        var all = me.IsAdmin;
        return db.CannedResponses.AsNoTracking().Where(c =>
            c.OwnerAgentId == me.Id
            || (c.OwnerAgentId == null && (all || c.DepartmentId == null || departments.Contains(c.DepartmentId.Value))));
    }

    public async Task<IReadOnlyList<CannedResponseDto>> ListAsync(CurrentAgent me, string? q, CancellationToken ct)
    {
        var query = Visible(me);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            query = query.Where(c => c.Title.Contains(text) || c.Body.Contains(text));
        }
        var list = await query.OrderBy(c => c.Title).Take(500).ToListAsync(ct);
        return list.Select(ToDto).ToList();
    }

    public async Task<CannedResponseDto> GetAsync(CurrentAgent me, long id, CancellationToken ct) =>
        ToDto(await Visible(me).FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw ProblemException.NotFound($"Canned response {id}"));

    public async Task<CannedResponseDto> CreateAsync(CurrentAgent me, CannedResponseRequest request, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var entity = new CannedResponse
        {
            Title = Parse.Text(request.Title, "title", 200),
            Body = Parse.Text(request.Body, "body", 20_000),
            CreatedByAgentId = me.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await ApplyScopeAsync(me, entity, request, ct);
        db.CannedResponses.Add(entity);
        await db.SaveChangesAsync(ct);
        return ToDto(entity);
    }

    public async Task<CannedResponseDto> UpdateAsync(CurrentAgent me, long id, CannedResponseRequest request, CancellationToken ct)
    {
        var entity = await LoadForChangeAsync(me, id, ct);
        if (request.Title is not null) entity.Title = Parse.Text(request.Title, "title", 200);
        if (request.Body is not null) entity.Body = Parse.Text(request.Body, "body", 20_000);
        if (request.Personal is not null || request.DepartmentId is not null) await ApplyScopeAsync(me, entity, request, ct);
        entity.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return ToDto(entity);
    }

    public async Task DeleteAsync(CurrentAgent me, long id, CancellationToken ct)
    {
        var entity = await LoadForChangeAsync(me, id, ct);
        db.CannedResponses.Remove(entity);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The body with the ticket's values in its placeholders; the ticket must be one the agent can see.</summary>
    public async Task<string> RenderAsync(CurrentAgent me, long id, long ticketId, CancellationToken ct)
    {
        var response = await GetAsync(me, id, ct);
        var ticket = await tickets.GetAsync(me, ticketId, ct);
        var values = new Dictionary<string, string>
        {
            ["customer.name"] = ticket.Customer.Name,
            ["customer.first_name"] = ticket.Customer.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? ticket.Customer.Name,
            ["customer.email"] = ticket.Customer.Email ?? "",
            ["ticket.number"] = ticket.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ticket.subject"] = ticket.Subject,
            ["agent.name"] = me.Name,
        };
        return Placeholders.Render(response.Body, values);
    }

    private async Task<CannedResponse> LoadForChangeAsync(CurrentAgent me, long id, CancellationToken ct)
    {
        var entity = await db.CannedResponses.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (entity is null || !(entity.OwnerAgentId == me.Id || (entity.OwnerAgentId is null && await Visible(me).AnyAsync(c => c.Id == id, ct))))
        {
            throw ProblemException.NotFound($"Canned response {id}");
        }
        if (entity.OwnerAgentId is null && !me.IsAdmin) throw ProblemException.Forbidden("Only administrators can change shared canned responses.");
        return entity;
    }

    private async Task ApplyScopeAsync(CurrentAgent me, CannedResponse entity, CannedResponseRequest request, CancellationToken ct)
    {
        if (request.Personal == true)
        {
            entity.OwnerAgentId = me.Id;
            entity.DepartmentId = null;
            return;
        }
        if (!me.IsAdmin) throw ProblemException.Forbidden("Only administrators can share canned responses; save it as personal instead.");
        if (request.DepartmentId is { } dept && !await db.Departments.AnyAsync(d => d.Id == dept, ct))
        {
            throw ProblemException.Invalid("departmentId", $"Department {dept} does not exist.");
        }
        entity.OwnerAgentId = null;
        entity.DepartmentId = request.DepartmentId;
    }

    private static CannedResponseDto ToDto(CannedResponse c) => new(c.Id, c.Title, c.Body, c.DepartmentId, c.OwnerAgentId is not null, c.UpdatedAt);
}
