using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Workspace;

public sealed record SavedFilterDto(long Id, string Name, string Query);

/// <summary>An agent's own inbox views; nobody else sees or changes them.</summary>
internal sealed class SavedFilters(SwitchboardDb db, TimeProvider time)
{
    public async Task<IReadOnlyList<SavedFilterDto>> ListAsync(CurrentAgent me, CancellationToken ct) =>
        await db.SavedFilters.AsNoTracking().Where(f => f.AgentId == me.Id).OrderBy(f => f.Name)
            .Select(f => new SavedFilterDto(f.Id, f.Name, f.Query)).ToListAsync(ct);

    public async Task<SavedFilterDto> CreateAsync(CurrentAgent me, string? name, string query, CancellationToken ct)
    {
        var clean = Parse.Text(name, "name", 100);
        if (query.Length > 2000) throw ProblemException.Invalid("query", "The filter is too long to save.");
        if (await db.SavedFilters.AnyAsync(f => f.AgentId == me.Id && f.Name == clean, ct))
        {
            throw ProblemException.Conflict($"You already have a view named {clean}.");
        }
        var filter = new SavedFilter { AgentId = me.Id, Name = clean, Query = query, CreatedAt = time.GetUtcNow() };
        db.SavedFilters.Add(filter);
        await db.SaveChangesAsync(ct);
        return new(filter.Id, filter.Name, filter.Query);
    }

    public async Task DeleteAsync(CurrentAgent me, long id, CancellationToken ct)
    {
        if (await db.SavedFilters.Where(f => f.Id == id && f.AgentId == me.Id).ExecuteDeleteAsync(ct) == 0)
        {
            throw ProblemException.NotFound($"View {id}");
        }
    }
}
