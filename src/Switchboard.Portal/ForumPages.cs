using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Portal.Views;

namespace Switchboard.Portal;

/// <summary>The community forum: public to read, customers sign in to post. Hidden and spam content is not shown.</summary>
internal static class ForumPages
{
    public static void Map(RouteGroupBuilder portal)
    {
        portal.MapGet("/forum", HomeAsync);
        portal.MapGet("/forum/{slug}", CategoryAsync);
        portal.MapPost("/forum/{slug}/topics", CreateTopicAsync).RequireRateLimiting(RateLimits.Post);
        portal.MapGet("/forum/topics/{id:long}", TopicAsync);
        portal.MapPost("/forum/topics/{id:long}/replies", ReplyAsync).RequireRateLimiting(RateLimits.Post);
        portal.MapPost("/forum/topics/{id:long}/follow", FollowAsync).RequireRateLimiting(RateLimits.Post);
        portal.MapGet("/forum/unsubscribe", UnsubscribeFormAsync).RequireRateLimiting(RateLimits.Account);
        portal.MapPost("/forum/unsubscribe", UnsubscribeAsync).RequireRateLimiting(RateLimits.Account);
    }

    private static IQueryable<ForumTopic> Visible(SwitchboardDb db) => db.ForumTopics.Where(t => !t.IsHidden && !t.IsSpam);

    private static async Task<IResult> HomeAsync(HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        var categories = await db.ForumCategories.AsNoTracking().OrderBy(c => c.Position).ThenBy(c => c.Name)
            .Select(c => new ForumCategoryItem(c.Id, c.Name, c.Slug, c.Description, db.ForumTopics.Count(t => t.CategoryId == c.Id && !t.IsHidden && !t.IsSpam)))
            .ToListAsync(ct);
        return Pages.Render<ForumHomePage>(ctx, new ForumHomeModel(categories));
    }

    private static Task<ForumCategoryItem?> CategoryBySlugAsync(SwitchboardDb db, string slug, CancellationToken ct) =>
        db.ForumCategories.AsNoTracking().Where(c => c.Slug == slug)
            .Select(c => new ForumCategoryItem(c.Id, c.Name, c.Slug, c.Description, 0)).FirstOrDefaultAsync(ct);

    private static async Task<IResult> CategoryAsync(string slug, HttpContext http, SwitchboardDb db, CancellationToken ct) =>
        await RenderCategoryAsync(slug, http, db, null, null, null, ct);

    private static async Task<IResult> RenderCategoryAsync(string slug, HttpContext http, SwitchboardDb db, string? error, string? title, string? body, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        var category = await CategoryBySlugAsync(db, slug, ct);
        if (category is null) return KnowledgeBasePages.NotFound(ctx);
        var topics = await Visible(db).AsNoTracking().Where(t => t.CategoryId == category.Id)
            .OrderByDescending(t => t.IsPinned).ThenByDescending(t => t.LastPostAt).ThenByDescending(t => t.Id)
            .Take(100)
            .Select(t => new TopicRow(t.Id, t.Title, t.AuthorName, t.ReplyCount, t.IsPinned, t.IsLocked, t.LastPostAt))
            .ToListAsync(ct);
        return Pages.Render<ForumCategoryPage>(ctx, new ForumCategoryModel(category, topics, error, title, body), error is null ? 200 : 400);
    }

    private static async Task<IResult> CreateTopicAsync(
        string slug, [FromForm] string? title, [FromForm] string? body, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        if (ctx.Customer is not { } me) return TicketPages.SignInFirst(ctx, http);
        var category = await CategoryBySlugAsync(db, slug, ct);
        if (category is null) return KnowledgeBasePages.NotFound(ctx);
        var heading = (title ?? "").Trim();
        var text = (body ?? "").Trim();
        if (heading.Length is 0 or > 300 || text.Length is 0 or > 20_000)
        {
            return await RenderCategoryAsync(slug, http, db, "Give a title (up to 300 characters) and your question (up to 20,000).", title, body, ct);
        }
        var now = time.GetUtcNow();
        var topic = new ForumTopic
        {
            CategoryId = category.Id,
            Title = heading,
            AuthorAccountId = me.AccountId,
            AuthorName = me.Name,
            CreatedAt = now,
            LastPostAt = now,
        };
        db.ForumTopics.Add(topic);
        await db.SaveChangesAsync(ct);
        db.ForumPosts.Add(new ForumPost { TopicId = topic.Id, AuthorAccountId = me.AccountId, AuthorName = me.Name, BodyHtml = Markdown.PlainToHtml(text), CreatedAt = now });
        // The author hears of answers until they stop following.
        db.ForumTopicFollows.Add(new ForumTopicFollow { TopicId = topic.Id, AccountId = me.AccountId, CreatedAt = now });
        await db.SaveChangesAsync(ct);
        return Results.Redirect(ctx.Url($"/forum/topics/{topic.Id}"));
    }

    private static async Task<IResult> TopicAsync(long id, HttpContext http, SwitchboardDb db, CancellationToken ct) =>
        await RenderTopicAsync(id, http, db, null, ct);

    private static async Task<IResult> RenderTopicAsync(long id, HttpContext http, SwitchboardDb db, string? error, CancellationToken ct, string? notice = null)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        var topic = await Visible(db).AsNoTracking().Where(t => t.Id == id)
            .Select(t => new { t.Id, t.Title, t.IsLocked, t.IsPinned, t.CategoryId }).FirstOrDefaultAsync(ct);
        if (topic is null) return KnowledgeBasePages.NotFound(ctx);
        var category = await db.ForumCategories.AsNoTracking().Where(c => c.Id == topic.CategoryId)
            .Select(c => new ForumCategoryItem(c.Id, c.Name, c.Slug, c.Description, 0)).FirstAsync(ct);
        var posts = await db.ForumPosts.AsNoTracking().Where(p => p.TopicId == id && !p.IsHidden && !p.IsSpam)
            .OrderBy(p => p.Id)
            .Select(p => new PostItem(p.Id, p.AuthorName, p.AuthorAgentId != null, p.BodyHtml, p.CreatedAt))
            .ToListAsync(ct);
        bool? following = ctx.Customer is { } me ? await db.ForumTopicFollows.AnyAsync(f => f.TopicId == id && f.AccountId == me.AccountId, ct) : null;
        return Pages.Render<TopicPage>(ctx, new TopicModel(topic.Id, topic.Title, topic.IsLocked, topic.IsPinned, category, posts, error, following, notice),
            error is null ? 200 : 400);
    }

    private static async Task<IResult> ReplyAsync(long id, [FromForm] string? body, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        if (ctx.Customer is not { } me) return TicketPages.SignInFirst(ctx, http);
        var topic = await Visible(db).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (topic is null) return KnowledgeBasePages.NotFound(ctx);
        if (topic.IsLocked) return await RenderTopicAsync(id, http, db, "This topic is locked.", ct);
        var text = (body ?? "").Trim();
        if (text.Length is 0 or > 20_000) return await RenderTopicAsync(id, http, db, "Write a reply of up to 20,000 characters.", ct);
        var now = time.GetUtcNow();
        db.ForumPosts.Add(new ForumPost { TopicId = id, AuthorAccountId = me.AccountId, AuthorName = me.Name, BodyHtml = Markdown.PlainToHtml(text), CreatedAt = now });
        topic.ReplyCount++;
        topic.LastPostAt = now;
        await Notifications.QueueReplyAsync(http, db, topic, me.Name, me.AccountId, text, ct);
        await db.SaveChangesAsync(ct);
        // Who answers hears of what comes after.
        await Notifications.FollowAsync(db, id, me.AccountId, now, ct);
        return Results.Redirect(ctx.Url($"/forum/topics/{id}"));
    }

    private static async Task<IResult> FollowAsync(long id, [FromForm] bool follow, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        if (ctx.Customer is not { } me) return TicketPages.SignInFirst(ctx, http);
        if (!await Visible(db).AnyAsync(t => t.Id == id, ct)) return KnowledgeBasePages.NotFound(ctx);
        if (follow) await Notifications.FollowAsync(db, id, me.AccountId, time.GetUtcNow(), ct);
        else await Notifications.UnfollowAsync(db, id, me.AccountId, ct);
        return await RenderTopicAsync(id, http, db, null, ct, follow ? "You follow this topic." : "You no longer follow this topic.");
    }

    /// <summary>
    /// The mailed unsubscribe link works without signing in (the link is signed for one topic and
    /// one account). Opening it only asks; the button posts, so a mail scanner that follows links
    /// unsubscribes nobody.
    /// </summary>
    private static async Task<IResult> UnsubscribeFormAsync(string? token, HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        var title = await UnsubscribeTopicAsync(http, db, token, ct);
        if (title is null) return UnsubscribeFailed(ctx);
        return Pages.Render<UnsubscribePage>(ctx, new UnsubscribeModel(token!, title, false));
    }

    private static async Task<IResult> UnsubscribeAsync([FromForm] string? token, HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        var title = await UnsubscribeTopicAsync(http, db, token, ct);
        if (title is null) return UnsubscribeFailed(ctx);
        var (topicId, accountId) = Notifications.ReadUnsubscribe(http.RequestServices, token)!.Value;
        await Notifications.UnfollowAsync(db, topicId, accountId, ct);
        return Pages.Render<UnsubscribePage>(ctx, new UnsubscribeModel(token!, title, true));
    }

    /// <summary>The title of the topic a valid unsubscribe link names, or null.</summary>
    private static async Task<string?> UnsubscribeTopicAsync(HttpContext http, SwitchboardDb db, string? token, CancellationToken ct) =>
        Notifications.ReadUnsubscribe(http.RequestServices, token) is { } link
            ? await db.ForumTopics.AsNoTracking().Where(t => t.Id == link.TopicId).Select(t => t.Title).FirstOrDefaultAsync(ct)
            : null;

    private static Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult UnsubscribeFailed(PageContext ctx) =>
        Pages.Render<MessagePage>(ctx, new MessageModel("This link does not work", "This unsubscribe link does not work.", true, "Back to the help center", ctx.Url("/")), 400);
}
