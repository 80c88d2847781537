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

namespace Switchboard.Portal;

/// <summary>Status is one of new, under_review, planned, done, declined.</summary>
public sealed record SuggestionDto(long Id, string Title, string AuthorName, string Status, int VoteCount, int CommentCount, string BodyHtml, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string Url);

public sealed record SuggestionUpdateRequest(string? Status);

public sealed record SuggestionCommentRequest(string? Body);

public sealed record SuggestionCommentDto(long Id, string AuthorName, bool ByAgent, string BodyHtml, DateTimeOffset CreatedAt);

/// <summary>Feedback and suggestions for agents: the list by votes, status changes, staff comments.</summary>
internal static class FeedbackApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var feedback = api.MapGroup("/feedback").WithTags("Feedback").RequireAuthorization(Policies.Agent);
        feedback.MapGet("/", ListAsync);
        feedback.MapGet("/{id:long}", GetAsync);
        feedback.MapPatch("/{id:long}", UpdateAsync).WithSummary("Set the status: new, under_review, planned, done or declined.");
        feedback.MapGet("/{id:long}/comments", CommentsAsync);
        feedback.MapPost("/{id:long}/comments", CommentAsync);
    }

    private static SuggestionDto ToDto(Suggestion s, PortalUrls urls) => new(
        s.Id, s.Title, s.AuthorName, FeedbackPages.StatusName(s.Status), s.VoteCount, s.CommentCount, s.BodyHtml, s.CreatedAt, s.UpdatedAt,
        urls.Absolute($"/feedback/{s.Id}"));

    private static async Task<Ok<ItemsDto<SuggestionDto>>> ListAsync(string? status, SwitchboardDb db, PortalUrls urls, CancellationToken ct)
    {
        var query = db.Suggestions.AsNoTracking();
        if (status is not null)
        {
            var s = FeedbackPages.ParseStatus(status) ?? throw ProblemException.Invalid("status", "Status is one of new, under_review, planned, done, declined.");
            query = query.Where(x => x.Status == s);
        }
        var items = await query.OrderByDescending(s => s.VoteCount).ThenByDescending(s => s.Id).Take(500).ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<SuggestionDto>(items.Select(s => ToDto(s, urls)).ToList()));
    }

    private static async Task<Suggestion> FindAsync(SwitchboardDb db, long id, CancellationToken ct) =>
        await db.Suggestions.FirstOrDefaultAsync(s => s.Id == id, ct) ?? throw ProblemException.NotFound($"Suggestion {id}");

    private static async Task<Ok<SuggestionDto>> GetAsync(long id, SwitchboardDb db, PortalUrls urls, CancellationToken ct) =>
        TypedResults.Ok(ToDto(await FindAsync(db, id, ct), urls));

    private static async Task<Ok<SuggestionDto>> UpdateAsync(
        long id, SuggestionUpdateRequest request, HttpContext http, SwitchboardDb db, PortalUrls urls, TimeProvider time, CancellationToken ct)
    {
        var suggestion = await FindAsync(db, id, ct);
        var status = FeedbackPages.ParseStatus(request.Status) ?? throw ProblemException.Invalid("status", "Status is one of new, under_review, planned, done, declined.");
        var changed = suggestion.Status != status;
        suggestion.Status = status;
        suggestion.UpdatedAt = time.GetUtcNow();
        // The author and the voters hear of a new status, in the same save as the change.
        if (changed) await Notifications.QueueStatusAsync(http, db, suggestion, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToDto(suggestion, urls));
    }

    private static async Task<Ok<ItemsDto<SuggestionCommentDto>>> CommentsAsync(long id, SwitchboardDb db, CancellationToken ct)
    {
        await FindAsync(db, id, ct);
        var comments = await db.SuggestionComments.AsNoTracking().Where(c => c.SuggestionId == id).OrderBy(c => c.Id)
            .Select(c => new SuggestionCommentDto(c.Id, c.AuthorName, c.AgentId != null, c.BodyHtml, c.CreatedAt)).ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<SuggestionCommentDto>(comments));
    }

    private static async Task<Created<SuggestionCommentDto>> CommentAsync(long id, SuggestionCommentRequest request, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var agent = CurrentAgent.From(http.User)!;
        var suggestion = await FindAsync(db, id, ct);
        var text = request.Body?.Trim() ?? "";
        if (text.Length is 0 or > 5000) throw ProblemException.Invalid("body", "Write a comment of 1 to 5,000 characters.");
        var comment = new SuggestionComment { SuggestionId = id, AgentId = agent.Id, AuthorName = agent.Name, BodyHtml = Markdown.ToHtml(text), CreatedAt = time.GetUtcNow() };
        db.SuggestionComments.Add(comment);
        suggestion.CommentCount++;
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/feedback/{id}/comments/{comment.Id}", new SuggestionCommentDto(comment.Id, comment.AuthorName, true, comment.BodyHtml, comment.CreatedAt));
    }
}
