using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;
using Switchboard.Tickets;

namespace Switchboard.Portal;

public sealed record ForumCategoryRequest(string? Name, string? Slug, string? Description, int? Position);

public sealed record ForumCategoryDto(long Id, string Name, string Slug, string? Description, int Position, string Url);

public sealed record ForumTopicDto(
    long Id, long CategoryId, string Title, string AuthorName, long? AuthorAccountId, bool IsPinned, bool IsLocked, bool IsHidden, bool IsSpam,
    int ReplyCount, long? TicketId, DateTimeOffset CreatedAt, DateTimeOffset LastPostAt, string Url);

public sealed record ForumPostDto(long Id, long TopicId, string AuthorName, long? AuthorAccountId, long? AuthorAgentId, string BodyHtml, bool IsHidden, bool IsSpam, long? ArticleId, DateTimeOffset CreatedAt);

public sealed record ModerateTopicRequest(bool? IsPinned, bool? IsLocked, bool? IsHidden, bool? IsSpam);

public sealed record ModeratePostRequest(bool? IsHidden, bool? IsSpam);

public sealed record ForumReplyRequest(string? Body);

public sealed record TopicToTicketRequest(long? DepartmentId);

public sealed record PostToArticleRequest(long? CategoryId, string? Language, string? Title);

/// <summary>Forum administration and moderation: categories; hide, lock, pin, mark spam; staff answers; a topic to a ticket, an answer to an article.</summary>
internal static class ForumApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var forum = api.MapGroup("/forum").WithTags("Forum").RequireAuthorization(Policies.Agent);
        forum.MapGet("/categories", ListCategoriesAsync);
        forum.MapPost("/categories", CreateCategoryAsync);
        forum.MapPut("/categories/{id:long}", UpdateCategoryAsync);
        forum.MapDelete("/categories/{id:long}", DeleteCategoryAsync).RequireAuthorization(Policies.Admin);
        forum.MapGet("/topics", ListTopicsAsync).WithSummary("Topics, hidden and spam ones included (filter with hidden=true or spam=true).");
        forum.MapGet("/topics/{id:long}", GetTopicAsync);
        forum.MapPatch("/topics/{id:long}", ModerateTopicAsync).WithSummary("Pin, lock, hide or mark a topic as spam.");
        forum.MapGet("/topics/{id:long}/posts", PostsAsync);
        forum.MapPost("/topics/{id:long}/posts", ReplyAsync).WithSummary("Answer in a topic as staff.");
        forum.MapPatch("/posts/{id:long}", ModeratePostAsync).WithSummary("Hide a post or mark it as spam.");
        forum.MapPost("/topics/{id:long}/ticket", TopicToTicketAsync).WithSummary("Turn a topic into a ticket of its author (once).");
        forum.MapPost("/posts/{id:long}/article", PostToArticleAsync).WithSummary("Turn an answer into a draft knowledge-base article.");
    }

    private static ForumCategoryDto ToDto(ForumCategory c, PortalUrls urls) => new(c.Id, c.Name, c.Slug, c.Description, c.Position, urls.Absolute("/forum/" + c.Slug));

    private static ForumTopicDto ToDto(ForumTopic t, PortalUrls urls) => new(
        t.Id, t.CategoryId, t.Title, t.AuthorName, t.AuthorAccountId, t.IsPinned, t.IsLocked, t.IsHidden, t.IsSpam, t.ReplyCount, t.TicketId,
        t.CreatedAt, t.LastPostAt, urls.Absolute($"/forum/topics/{t.Id}"));

    private static ForumPostDto ToDto(ForumPost p) => new(p.Id, p.TopicId, p.AuthorName, p.AuthorAccountId, p.AuthorAgentId, p.BodyHtml, p.IsHidden, p.IsSpam, p.ArticleId, p.CreatedAt);

    private static async Task<Ok<ItemsDto<ForumCategoryDto>>> ListCategoriesAsync(SwitchboardDb db, PortalUrls urls, CancellationToken ct)
    {
        var items = await db.ForumCategories.AsNoTracking().OrderBy(c => c.Position).ThenBy(c => c.Name).ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<ForumCategoryDto>(items.Select(c => ToDto(c, urls)).ToList()));
    }

    private static void Apply(ForumCategory c, ForumCategoryRequest request, bool creating)
    {
        var name = request.Name?.Trim();
        if (creating || name is not null)
        {
            if (string.IsNullOrEmpty(name) || name.Length > 200) throw ProblemException.Invalid("name", "A forum category needs a name of 1 to 200 characters.");
            c.Name = name;
        }
        if (creating || request.Slug is not null) c.Slug = Markdown.Slug(string.IsNullOrWhiteSpace(request.Slug) ? c.Name : request.Slug);
        if (c.Slug == "topics") throw ProblemException.Invalid("slug", "'topics' is reserved; choose another slug.");
        if (request.Description is not null) c.Description = request.Description.Trim() is { Length: > 0 } d ? (d.Length > 1000 ? d[..1000] : d) : null;
        if (request.Position is { } p) c.Position = p;
    }

    private static async Task<Created<ForumCategoryDto>> CreateCategoryAsync(ForumCategoryRequest request, SwitchboardDb db, PortalUrls urls, TimeProvider time, CancellationToken ct)
    {
        var category = new ForumCategory { Name = "", Slug = "", CreatedAt = time.GetUtcNow() };
        Apply(category, request, creating: true);
        if (await db.ForumCategories.AnyAsync(c => c.Slug == category.Slug, ct)) throw ProblemException.Conflict($"A forum category already uses the slug '{category.Slug}'.");
        db.ForumCategories.Add(category);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/forum/categories/{category.Id}", ToDto(category, urls));
    }

    private static async Task<Ok<ForumCategoryDto>> UpdateCategoryAsync(long id, ForumCategoryRequest request, SwitchboardDb db, PortalUrls urls, CancellationToken ct)
    {
        var category = await db.ForumCategories.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw ProblemException.NotFound($"Forum category {id}");
        Apply(category, request, creating: false);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToDto(category, urls));
    }

    private static async Task<NoContent> DeleteCategoryAsync(long id, SwitchboardDb db, CancellationToken ct)
    {
        if (await db.ForumTopics.AnyAsync(t => t.CategoryId == id, ct)) throw ProblemException.Conflict("The category still has topics; move or delete them first.");
        if (await db.ForumCategories.Where(c => c.Id == id).ExecuteDeleteAsync(ct) == 0) throw ProblemException.NotFound($"Forum category {id}");
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ItemsDto<ForumTopicDto>>> ListTopicsAsync(long? categoryId, bool? hidden, bool? spam, SwitchboardDb db, PortalUrls urls, CancellationToken ct)
    {
        var query = db.ForumTopics.AsNoTracking();
        if (categoryId is { } c) query = query.Where(t => t.CategoryId == c);
        if (hidden is { } h) query = query.Where(t => t.IsHidden == h);
        if (spam is { } s) query = query.Where(t => t.IsSpam == s);
        var topics = await query.OrderByDescending(t => t.LastPostAt).ThenByDescending(t => t.Id).Take(200).ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<ForumTopicDto>(topics.Select(t => ToDto(t, urls)).ToList()));
    }

    private static async Task<ForumTopic> TopicAsync(SwitchboardDb db, long id, CancellationToken ct) =>
        await db.ForumTopics.FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw ProblemException.NotFound($"Topic {id}");

    private static async Task<Ok<ForumTopicDto>> GetTopicAsync(long id, SwitchboardDb db, PortalUrls urls, CancellationToken ct) =>
        TypedResults.Ok(ToDto(await TopicAsync(db, id, ct), urls));

    private static async Task<Ok<ForumTopicDto>> ModerateTopicAsync(long id, ModerateTopicRequest request, SwitchboardDb db, PortalUrls urls, CancellationToken ct)
    {
        var topic = await TopicAsync(db, id, ct);
        if (request.IsPinned is { } pinned) topic.IsPinned = pinned;
        if (request.IsLocked is { } locked) topic.IsLocked = locked;
        if (request.IsHidden is { } hidden) topic.IsHidden = hidden;
        if (request.IsSpam is { } spam) topic.IsSpam = spam;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToDto(topic, urls));
    }

    private static async Task<Ok<ItemsDto<ForumPostDto>>> PostsAsync(long id, SwitchboardDb db, CancellationToken ct)
    {
        await TopicAsync(db, id, ct);
        var posts = await db.ForumPosts.AsNoTracking().Where(p => p.TopicId == id).OrderBy(p => p.Id).ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<ForumPostDto>(posts.Select(ToDto).ToList()));
    }

    private static async Task<Created<ForumPostDto>> ReplyAsync(long id, ForumReplyRequest request, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var agent = CurrentAgent.From(http.User)!;
        var topic = await TopicAsync(db, id, ct);
        var text = request.Body?.Trim() ?? "";
        if (text.Length is 0 or > 20_000) throw ProblemException.Invalid("body", "Write an answer of 1 to 20,000 characters.");
        var now = time.GetUtcNow();
        var post = new ForumPost { TopicId = id, AuthorAgentId = agent.Id, AuthorName = agent.Name, BodyHtml = Markdown.ToHtml(text), CreatedAt = now };
        db.ForumPosts.Add(post);
        topic.ReplyCount++;
        topic.LastPostAt = now;
        await Notifications.QueueReplyAsync(http, db, topic, agent.Name, null, Markdown.ToText(text), ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/forum/posts/{post.Id}", ToDto(post));
    }

    private static async Task<Ok<ForumPostDto>> ModeratePostAsync(long id, ModeratePostRequest request, SwitchboardDb db, CancellationToken ct)
    {
        var post = await db.ForumPosts.FirstOrDefaultAsync(p => p.Id == id, ct) ?? throw ProblemException.NotFound($"Post {id}");
        if (request.IsHidden is { } hidden) post.IsHidden = hidden;
        if (request.IsSpam is { } spam) post.IsSpam = spam;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToDto(post));
    }

    private static async Task<Created<ForumTopicDto>> TopicToTicketAsync(
        long id, TopicToTicketRequest? request, HttpContext http, SwitchboardDb db, PortalUrls urls, TimeProvider time, CancellationToken ct)
    {
        var agent = CurrentAgent.From(http.User)!;
        var topic = await TopicAsync(db, id, ct);
        if (topic.TicketId is not null) throw ProblemException.Conflict($"This topic is already ticket #{topic.TicketId}.");
        var contactId = topic.AuthorAccountId is { } accountId
            ? await db.CustomerAccounts.Where(a => a.Id == accountId).Select(a => (long?)a.ContactId).FirstOrDefaultAsync(ct)
            : null;
        if (contactId is null) throw ProblemException.Conflict("Only a customer's topic can become a ticket; this one was started by staff.");
        if (request?.DepartmentId is { } departmentId && !await db.Departments.AnyAsync(d => d.Id == departmentId, ct))
        {
            throw ProblemException.Invalid("departmentId", $"Department {departmentId} does not exist.");
        }
        var contact = await db.Contacts.FirstAsync(c => c.Id == contactId, ct);
        var first = await db.ForumPosts.AsNoTracking().Where(p => p.TopicId == id).OrderBy(p => p.Id).FirstOrDefaultAsync(ct);
        var now = time.GetUtcNow();
        var body = first is null ? topic.Title : Markdown.HtmlToText(first.BodyHtml);
        var ticket = TicketIntake.Open(db, contact, topic.Title, new Message
        {
            Channel = Channel.Portal,
            AuthorContactId = contact.Id,
            BodyText = body + $"\n\n(From the forum: {urls.Absolute($"/forum/topics/{id}")})",
            BodyHtml = first?.BodyHtml,
            CreatedAt = now,
        }, request?.DepartmentId, now);
        History.Record(db, ticket, Actor.Of(agent), "created_from_forum", now, "topic", null, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await db.SaveChangesAsync(ct);
        topic.TicketId = ticket.Id;
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/tickets/{ticket.Id}", ToDto(topic, urls));
    }

    private static async Task<Created<KbArticleDto>> PostToArticleAsync(
        long id, PostToArticleRequest request, HttpContext http, SwitchboardDb db, PortalUrls urls, IOptions<PortalOptions> options,
        TimeProvider time, CancellationToken ct)
    {
        var agent = CurrentAgent.From(http.User)!;
        var post = await db.ForumPosts.FirstOrDefaultAsync(p => p.Id == id, ct) ?? throw ProblemException.NotFound($"Post {id}");
        if (post.ArticleId is not null) throw ProblemException.Conflict($"This answer is already article {post.ArticleId}.");
        var categoryId = request.CategoryId ?? throw ProblemException.Invalid("categoryId", "Choose the knowledge-base category of the new article.");
        var category = await db.KbCategories.AsNoTracking().FirstOrDefaultAsync(c => c.Id == categoryId, ct)
            ?? throw ProblemException.Invalid("categoryId", $"Category {categoryId} does not exist.");
        var topicTitle = await db.ForumTopics.Where(t => t.Id == post.TopicId).Select(t => t.Title).FirstAsync(ct);
        var now = time.GetUtcNow();
        var language = KnowledgeBaseApi.Language(request.Language ?? "en", options);
        // The answer's text becomes the draft's Markdown; an editor polishes it before publishing.
        var version = KnowledgeBaseApi.Version(0, language, string.IsNullOrWhiteSpace(request.Title) ? topicTitle : request.Title, null, Markdown.HtmlToText(post.BodyHtml), now);
        var article = new KbArticle
        {
            CategoryId = category.Id,
            Audience = category.Audience,
            Status = ArticleStatus.Draft,
            Slug = Markdown.Slug(version.Title),
            AuthorAgentId = agent.Id,
            CreatedAt = now,
            UpdatedAt = now,
            Translations = [version],
        };
        db.KbArticles.Add(article);
        await db.SaveChangesAsync(ct);
        post.ArticleId = article.Id;
        await db.SaveChangesAsync(ct);
        var dto = new KbArticleDto(article.Id, article.CategoryId, article.Audience, article.Status, article.Slug, 0, 0, 0, now, now, null, [],
            [new KbTranslationDto(version.Language, version.Title, version.Description, version.BodyMarkdown, version.BodyHtml, now)], null);
        return TypedResults.Created($"/api/v1/kb/articles/{article.Id}", dto);
    }
}
