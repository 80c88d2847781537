using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Portal.Views;

namespace Switchboard.Portal;

/// <summary>Feedback and suggestions: customers submit ideas, vote once each and comment; agents set the status through the API.</summary>
internal static class FeedbackPages
{
    public static void Map(RouteGroupBuilder portal)
    {
        portal.MapGet("/feedback", ListAsync);
        portal.MapPost("/feedback", CreateAsync).RequireRateLimiting(RateLimits.Post);
        portal.MapGet("/feedback/{id:long}", ShowAsync);
        portal.MapPost("/feedback/{id:long}/vote", VoteAsync).RequireRateLimiting(RateLimits.Post);
        portal.MapPost("/feedback/{id:long}/comments", CommentAsync).RequireRateLimiting(RateLimits.Post);
    }

    internal static string StatusName(SuggestionStatus s) => s switch
    {
        SuggestionStatus.UnderReview => "under_review",
        _ => s.ToString().ToLowerInvariant(),
    };

    internal static SuggestionStatus? ParseStatus(string? value) => value?.Trim().Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal) is { Length: > 0 } v
        && Enum.TryParse<SuggestionStatus>(v, true, out var s) && !int.TryParse(v, out _) ? s : null;

    private static async Task<IResult> ListAsync(string? status, HttpContext http, SwitchboardDb db, CancellationToken ct) =>
        await RenderListAsync(status, http, db, null, null, null, ct);

    private static async Task<IResult> RenderListAsync(string? status, HttpContext http, SwitchboardDb db, string? error, string? title, string? body, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        var filter = ParseStatus(status);
        var me = ctx.Customer?.AccountId ?? 0;
        var query = db.Suggestions.AsNoTracking();
        if (filter is { } f) query = query.Where(s => s.Status == f);
        var rows = await query.OrderByDescending(s => s.VoteCount).ThenByDescending(s => s.Id).Take(100)
            .Select(s => new { s.Id, s.Title, s.AuthorName, s.Status, s.VoteCount, s.CommentCount, Mine = db.SuggestionVotes.Any(v => v.SuggestionId == s.Id && v.AccountId == me) })
            .ToListAsync(ct);
        return Pages.Render<FeedbackListPage>(ctx, new FeedbackListModel(
            rows.Select(r => new SuggestionRow(r.Id, r.Title, r.AuthorName, StatusName(r.Status), r.VoteCount, r.CommentCount, r.Mine)).ToList(),
            filter is null ? null : StatusName(filter.Value), error, title, body), error is null ? 200 : 400);
    }

    private static async Task<IResult> CreateAsync(
        [FromForm] string? title, [FromForm] string? body, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        if (ctx.Customer is not { } me) return TicketPages.SignInFirst(ctx, http);
        var heading = (title ?? "").Trim();
        var text = (body ?? "").Trim();
        if (heading.Length is 0 or > 300 || text.Length > 20_000)
        {
            return await RenderListAsync(null, http, db, "Name your idea (up to 300 characters); details may have up to 20,000.", title, body, ct);
        }
        var now = time.GetUtcNow();
        var suggestion = new Suggestion
        {
            AccountId = me.AccountId,
            AuthorName = me.Name,
            Title = heading,
            BodyHtml = text.Length == 0 ? "" : Markdown.PlainToHtml(text),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Suggestions.Add(suggestion);
        await db.SaveChangesAsync(ct);
        return Results.Redirect(ctx.Url($"/feedback/{suggestion.Id}"));
    }

    private static async Task<IResult> ShowAsync(long id, HttpContext http, SwitchboardDb db, CancellationToken ct) =>
        await RenderAsync(id, http, db, null, null, ct);

    private static async Task<IResult> RenderAsync(long id, HttpContext http, SwitchboardDb db, string? notice, string? error, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        var me = ctx.Customer?.AccountId ?? 0;
        var s = await db.Suggestions.AsNoTracking().Where(s => s.Id == id)
            .Select(s => new { s.Id, s.Title, s.AuthorName, s.Status, s.VoteCount, s.CommentCount, s.BodyHtml, Mine = db.SuggestionVotes.Any(v => v.SuggestionId == s.Id && v.AccountId == me) })
            .FirstOrDefaultAsync(ct);
        if (s is null) return KnowledgeBasePages.NotFound(ctx);
        var comments = await db.SuggestionComments.AsNoTracking().Where(c => c.SuggestionId == id).OrderBy(c => c.Id)
            .Select(c => new CommentItem(c.Id, c.AuthorName, c.AgentId != null, c.BodyHtml, c.CreatedAt)).ToListAsync(ct);
        return Pages.Render<SuggestionPage>(ctx, new SuggestionModel(
            new SuggestionRow(s.Id, s.Title, s.AuthorName, StatusName(s.Status), s.VoteCount, s.CommentCount, s.Mine), s.BodyHtml, comments, notice, error),
            error is null ? 200 : 400);
    }

    private static async Task<IResult> VoteAsync(long id, [FromForm] bool? remove, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        if (ctx.Customer is not { } me) return TicketPages.SignInFirst(ctx, http);
        if (!await db.Suggestions.AnyAsync(s => s.Id == id, ct)) return KnowledgeBasePages.NotFound(ctx);
        var exists = await db.SuggestionVotes.AnyAsync(v => v.SuggestionId == id && v.AccountId == me.AccountId, ct);
        if (remove == true)
        {
            if (await db.SuggestionVotes.Where(v => v.SuggestionId == id && v.AccountId == me.AccountId).ExecuteDeleteAsync(ct) > 0)
            {
                await db.Suggestions.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.VoteCount, s => s.VoteCount - 1), ct);
            }
            return await RenderAsync(id, http, db, "Your vote is removed.", null, ct);
        }
        if (exists) return await RenderAsync(id, http, db, "You have already voted for this.", null, ct);
        db.SuggestionVotes.Add(new SuggestionVote { SuggestionId = id, AccountId = me.AccountId, CreatedAt = time.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same account voted in another request a moment ago: one vote per account is kept by the key.
            return await RenderAsync(id, http, db, "You have already voted for this.", null, ct);
        }
        await db.Suggestions.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.VoteCount, s => s.VoteCount + 1), ct);
        return await RenderAsync(id, http, db, "Thank you for your vote.", null, ct);
    }

    private static async Task<IResult> CommentAsync(long id, [FromForm] string? body, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        if (ctx.Customer is not { } me) return TicketPages.SignInFirst(ctx, http);
        if (!await db.Suggestions.AnyAsync(s => s.Id == id, ct)) return KnowledgeBasePages.NotFound(ctx);
        var text = (body ?? "").Trim();
        if (text.Length is 0 or > 5000) return await RenderAsync(id, http, db, null, "Write a comment of up to 5,000 characters.", ct);
        db.SuggestionComments.Add(new SuggestionComment { SuggestionId = id, AccountId = me.AccountId, AuthorName = me.Name, BodyHtml = Markdown.PlainToHtml(text), CreatedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        await db.Suggestions.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.CommentCount, s => s.CommentCount + 1), ct);
        return Results.Redirect(ctx.Url($"/feedback/{id}"));
    }
}
