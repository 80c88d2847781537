using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Tickets;

internal static class TagsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var tags = api.MapGroup("/tags").WithTags("Tags").RequireAuthorization(Policies.Agent);
        tags.MapGet("/", ListAsync);
        tags.MapPost("/", CreateAsync);
        tags.MapDelete("/{id:long}", DeleteAsync).RequireAuthorization(Policies.Admin).WithSummary("Delete a tag and remove it from every ticket.");
    }

    private static async Task<Ok<ItemsDto<TagDto>>> ListAsync(string? q, SwitchboardDb db, CancellationToken ct)
    {
        var query = db.Tags.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var prefix = q.Trim().ToLowerInvariant();
            query = query.Where(t => t.Name.StartsWith(prefix));
        }
        var items = await query.OrderBy(t => t.Name).Take(500)
            .Select(t => new TagDto(t.Id, t.Name, db.TicketTags.Count(x => x.TagId == t.Id)))
            .ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<TagDto>(items));
    }

    private static async Task<Results<Created<TagDto>, Ok<TagDto>>> CreateAsync(TagRequest request, SwitchboardDb db, CancellationToken ct)
    {
        var name = Tags.Normalize([request.Name ?? ""]).SingleOrDefault() ?? throw ProblemException.Invalid("name", "The tag must not be empty.");
        var existing = await db.Tags.AsNoTracking().FirstOrDefaultAsync(t => t.Name == name, ct);
        if (existing is not null) return TypedResults.Ok(new TagDto(existing.Id, existing.Name, await db.TicketTags.CountAsync(x => x.TagId == existing.Id, ct)));
        var tag = new Tag { Name = name };
        db.Tags.Add(tag);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/tags/{tag.Id}", new TagDto(tag.Id, tag.Name, 0));
    }

    private static async Task<NoContent> DeleteAsync(long id, SwitchboardDb db, CancellationToken ct)
    {
        var deleted = await db.Tags.Where(t => t.Id == id).ExecuteDeleteAsync(ct);
        return deleted == 0 ? throw ProblemException.NotFound($"Tag {id}") : TypedResults.NoContent();
    }
}
