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
using Switchboard.Core.Search;
using Switchboard.Core.Security;
using Switchboard.Tickets;

namespace Switchboard.Portal;

public sealed record KbCategoryRequest(string? Name, string? Slug, string? Description, long? ParentId, KbAudience? Audience, int? Position);

public sealed record KbCategoryDto(long Id, string Name, string Slug, string? Description, long? ParentId, KbAudience Audience, int Position, string? Url);

public sealed record KbArticleRequest(
    long? CategoryId, string? Slug, ArticleStatus? Status, string? Language, string? Title, string? Description, string? Body, long[]? RelatedIds);

public sealed record KbTranslationRequest(string? Title, string? Description, string? Body);

public sealed record KbTranslationDto(string Language, string Title, string Description, string BodyMarkdown, string BodyHtml, DateTimeOffset UpdatedAt);

public sealed record KbArticleDto(
    long Id, long CategoryId, KbAudience Audience, ArticleStatus Status, string Slug, long ViewCount, int HelpfulCount, int NotHelpfulCount,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt, IReadOnlyList<long> RelatedIds,
    IReadOnlyList<KbTranslationDto> Translations, string? Url);

public sealed record KbArticleSummaryDto(
    long Id, long CategoryId, KbAudience Audience, ArticleStatus Status, string Slug, string Title, IReadOnlyList<string> Languages,
    long ViewCount, int HelpfulCount, int NotHelpfulCount, DateTimeOffset UpdatedAt);

public sealed record KbSearchHitDto(long ArticleId, string Language, string Title, string Description, string? Url);

public sealed record KbSearchMissDto(string Query, int Count, DateTimeOffset FirstAt, DateTimeOffset LastAt);

public sealed record KbVoteDto(long Id, bool Helpful, string? Comment, string Language, DateTimeOffset CreatedAt);

public sealed record KbImageDto(long Id, string FileName, string ContentType, long Size, string Url, string Markdown);

/// <summary>The knowledge-base team's API: categories, articles and their language versions, images, votes, searches without results; agents also search the internal base here.</summary>
internal static class KnowledgeBaseApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var kb = api.MapGroup("/kb").WithTags("Knowledge base").RequireAuthorization(Policies.Agent);
        kb.MapGet("/categories", ListCategoriesAsync);
        kb.MapPost("/categories", CreateCategoryAsync);
        kb.MapPut("/categories/{id:long}", UpdateCategoryAsync);
        kb.MapDelete("/categories/{id:long}", DeleteCategoryAsync);
        kb.MapGet("/articles", ListArticlesAsync);
        kb.MapPost("/articles", CreateArticleAsync).WithSummary("Create an article with its first language version (Markdown body).");
        kb.MapGet("/articles/{id:long}", GetArticleAsync);
        kb.MapPatch("/articles/{id:long}", UpdateArticleAsync).WithSummary("Change category, status (draft/published), slug or related articles.");
        kb.MapDelete("/articles/{id:long}", DeleteArticleAsync);
        kb.MapPut("/articles/{id:long}/translations/{language}", PutTranslationAsync).WithSummary("Create or replace the article's version in one language (en, fil, zh-Hans…).");
        kb.MapDelete("/articles/{id:long}/translations/{language}", DeleteTranslationAsync);
        kb.MapGet("/articles/{id:long}/votes", VotesAsync).WithSummary("\"Was this helpful?\" answers with their comments, newest first.");
        kb.MapGet("/search", SearchAsync).WithSummary("Search published articles of the public (default) or internal knowledge base.");
        kb.MapGet("/search-misses", MissesAsync).WithSummary("Portal searches that found nothing, most frequent first.");
        kb.MapPost("/images", UploadImageAsync).WithSummary("Upload an image (PNG, JPEG, GIF, WebP) for articles; the answer has its public URL and Markdown.");
    }

    /// <summary>A query-string choice, case-insensitive; names only, never numbers.</summary>
    private static T? ParseEnum<T>(string? value, string field) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return Enum.TryParse<T>(value.Trim(), true, out var parsed) && !char.IsAsciiDigit(value.Trim()[0])
            ? parsed
            : throw ProblemException.Invalid(field, $"{field} is one of: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
    }

    // Categories

    private static async Task<Ok<ItemsDto<KbCategoryDto>>> ListCategoriesAsync(string? audience, SwitchboardDb db, PortalUrls urls, CancellationToken ct)
    {
        var query = db.KbCategories.AsNoTracking();
        if (ParseEnum<KbAudience>(audience, "audience") is { } a) query = query.Where(c => c.Audience == a);
        var items = await query.OrderBy(c => c.Audience).ThenBy(c => c.Position).ThenBy(c => c.Name).ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<KbCategoryDto>(items.Select(c => ToDto(c, urls)).ToList()));
    }

    private static KbCategoryDto ToDto(KbCategory c, PortalUrls urls) => new(
        c.Id, c.Name, c.Slug, c.Description, c.ParentId, c.Audience, c.Position,
        c.Audience == KbAudience.Public ? urls.Absolute(PortalUrls.Category(c.Id, c.Slug)) : null);

    private static async Task<Created<KbCategoryDto>> CreateCategoryAsync(KbCategoryRequest request, SwitchboardDb db, PortalUrls urls, TimeProvider time, CancellationToken ct)
    {
        var category = new KbCategory { Name = "", Slug = "", CreatedAt = time.GetUtcNow() };
        await ApplyAsync(db, category, request, creating: true, ct);
        db.KbCategories.Add(category);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/kb/categories/{category.Id}", ToDto(category, urls));
    }

    private static async Task<Ok<KbCategoryDto>> UpdateCategoryAsync(long id, KbCategoryRequest request, SwitchboardDb db, PortalUrls urls, CancellationToken ct)
    {
        var category = await db.KbCategories.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw ProblemException.NotFound($"Category {id}");
        var before = category.Audience;
        await ApplyAsync(db, category, request, creating: false, ct);
        await db.SaveChangesAsync(ct);
        if (before != category.Audience)
        {
            // Articles follow their category from one base to the other.
            await db.KbArticles.Where(a => a.CategoryId == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Audience, category.Audience), ct);
        }
        return TypedResults.Ok(ToDto(category, urls));
    }

    private static async Task ApplyAsync(SwitchboardDb db, KbCategory category, KbCategoryRequest request, bool creating, CancellationToken ct)
    {
        var name = request.Name?.Trim();
        if (creating || name is not null)
        {
            if (string.IsNullOrEmpty(name) || name.Length > 200) throw ProblemException.Invalid("name", "A category needs a name of 1 to 200 characters.");
            category.Name = name;
        }
        if (request.Slug is not null || creating) category.Slug = Markdown.Slug(string.IsNullOrWhiteSpace(request.Slug) ? category.Name : request.Slug);
        if (request.Description is not null) category.Description = request.Description.Trim() is { Length: > 0 } d ? (d.Length > 1000 ? d[..1000] : d) : null;
        if (request.Audience is { } audience) category.Audience = audience;
        if (request.Position is { } position) category.Position = position;
        if (request.ParentId is { } parentId)
        {
            if (parentId == category.Id) throw ProblemException.Invalid("parentId", "A category cannot be its own parent.");
            var parent = await db.KbCategories.AsNoTracking().FirstOrDefaultAsync(c => c.Id == parentId, ct)
                ?? throw ProblemException.Invalid("parentId", $"Category {parentId} does not exist.");
            if (parent.ParentId is not null) throw ProblemException.Invalid("parentId", "Sub-categories go one level deep: choose a top-level category as the parent.");
            category.ParentId = parentId;
            category.Audience = parent.Audience;
        }
    }

    private static async Task<NoContent> DeleteCategoryAsync(long id, SwitchboardDb db, CancellationToken ct)
    {
        if (!await db.KbCategories.AnyAsync(c => c.Id == id, ct)) throw ProblemException.NotFound($"Category {id}");
        if (await db.KbArticles.AnyAsync(a => a.CategoryId == id, ct) || await db.KbCategories.AnyAsync(c => c.ParentId == id, ct))
        {
            throw ProblemException.Conflict("The category still has articles or sub-categories; move or delete them first.");
        }
        await db.KbCategories.Where(c => c.Id == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    // Articles

    private static async Task<Ok<ItemsDto<KbArticleSummaryDto>>> ListArticlesAsync(
        string? audience, string? status, long? categoryId, string? q, SwitchboardDb db, CancellationToken ct)
    {
        var query = db.KbArticles.AsNoTracking();
        if (ParseEnum<KbAudience>(audience, "audience") is { } a) query = query.Where(x => x.Audience == a);
        if (ParseEnum<ArticleStatus>(status, "status") is { } s) query = query.Where(x => x.Status == s);
        if (categoryId is { } c) query = query.Where(x => x.CategoryId == c);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            query = query.Where(x => x.Translations.Any(t => t.Title.Contains(term)));
        }
        var rows = await query.OrderByDescending(x => x.UpdatedAt).ThenByDescending(x => x.Id).Take(500)
            .Select(x => new
            {
                x.Id,
                x.CategoryId,
                x.Audience,
                x.Status,
                x.Slug,
                x.ViewCount,
                x.HelpfulCount,
                x.NotHelpfulCount,
                x.UpdatedAt,
                Versions = x.Translations.Select(t => new { t.Language, t.Title }).ToList(),
            })
            .ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<KbArticleSummaryDto>(rows.Select(r => new KbArticleSummaryDto(
            r.Id, r.CategoryId, r.Audience, r.Status, r.Slug,
            (r.Versions.FirstOrDefault(v => v.Language == "en") ?? r.Versions.FirstOrDefault())?.Title ?? "",
            r.Versions.Select(v => v.Language).ToList(), r.ViewCount, r.HelpfulCount, r.NotHelpfulCount, r.UpdatedAt)).ToList()));
    }

    private static async Task<KbArticleDto> LoadAsync(SwitchboardDb db, long id, PortalUrls urls, ArticleViews views, CancellationToken ct)
    {
        var pendingViews = views.Pending(id);
        var article = await db.KbArticles.AsNoTracking().Include(a => a.Translations).FirstOrDefaultAsync(a => a.Id == id, ct)
            ?? throw ProblemException.NotFound($"Article {id}");
        var related = await db.KbRelatedArticles.AsNoTracking().Where(r => r.ArticleId == id).Select(r => r.RelatedId).ToListAsync(ct);
        return new KbArticleDto(article.Id, article.CategoryId, article.Audience, article.Status, article.Slug, article.ViewCount + pendingViews,
            article.HelpfulCount, article.NotHelpfulCount, article.CreatedAt, article.UpdatedAt, article.PublishedAt, related,
            article.Translations.OrderBy(t => Array.IndexOf(Languages.Supported, t.Language) is var i && i < 0 ? 99 : i).ThenBy(t => t.Language)
                .Select(t => new KbTranslationDto(t.Language, t.Title, t.Description, t.BodyMarkdown, t.BodyHtml, t.UpdatedAt)).ToList(),
            article.Audience == KbAudience.Public && article.Status == ArticleStatus.Published ? urls.Absolute(PortalUrls.Article(article.Id, article.Slug)) : null);
    }

    private static async Task<Ok<KbArticleDto>> GetArticleAsync(long id, SwitchboardDb db, PortalUrls urls, ArticleViews views, CancellationToken ct) =>
        TypedResults.Ok(await LoadAsync(db, id, urls, views, ct));

    internal static string Language(string? code, IOptions<PortalOptions> options, string field = "language")
    {
        var normalized = Languages.Normalize(code) ?? code?.Trim();
        if (string.IsNullOrEmpty(normalized) || !options.Value.Languages.Contains(normalized, StringComparer.Ordinal))
        {
            throw ProblemException.Invalid(field, $"Choose a language among: {string.Join(", ", options.Value.Languages)}.");
        }
        return normalized;
    }

    internal static KbTranslation Version(long articleId, string language, string? title, string? description, string? body, DateTimeOffset now)
    {
        var heading = title?.Trim();
        if (string.IsNullOrEmpty(heading) || heading.Length > 300) throw ProblemException.Invalid("title", "An article needs a title of 1 to 300 characters.");
        var summary = description?.Trim() ?? "";
        if (summary.Length > 500) throw ProblemException.Invalid("description", "The description may have at most 500 characters.");
        if (body is { Length: > 200_000 }) throw ProblemException.Invalid("body", "The article body may have at most 200,000 characters.");
        var markdown = body ?? "";
        if (summary.Length == 0)
        {
            // Search engines show the description; the article's first words are better than nothing.
            var text = Markdown.ToText(markdown).ReplaceLineEndings(" ");
            summary = text.Length <= 160 ? text : Shorten(text, 157) + "…";
        }
        var version = new KbTranslation
        {
            ArticleId = articleId,
            Language = language,
            Title = heading,
            Description = summary,
            BodyMarkdown = markdown,
            BodyHtml = Markdown.ToHtml(markdown),
            UpdatedAt = now,
        };
        KbSearch.Index(version);
        return version;
    }

    /// <summary>At most <paramref name="max"/> characters, ending at a space when there is one near the end (a cut word would be searchable).</summary>
    private static string Shorten(string text, int max)
    {
        var cut = text[..max];
        var space = cut.LastIndexOf(' ');
        return (space > max - 40 && !char.IsWhiteSpace(text[max]) ? cut[..space] : cut).TrimEnd();
    }

    private static async Task<Created<KbArticleDto>> CreateArticleAsync(
        KbArticleRequest request, HttpContext http, SwitchboardDb db, PortalUrls urls, ArticleViews views, IOptions<PortalOptions> options, TimeProvider time, CancellationToken ct)
    {
        var categoryId = request.CategoryId ?? throw ProblemException.Invalid("categoryId", "Choose the article's category.");
        var category = await db.KbCategories.AsNoTracking().FirstOrDefaultAsync(c => c.Id == categoryId, ct)
            ?? throw ProblemException.Invalid("categoryId", $"Category {categoryId} does not exist.");
        var language = Language(request.Language ?? "en", options);
        var now = time.GetUtcNow();
        var version = Version(0, language, request.Title, request.Description, request.Body, now);
        var status = request.Status ?? ArticleStatus.Draft;
        var article = new KbArticle
        {
            CategoryId = category.Id,
            Audience = category.Audience,
            Status = status,
            Slug = Markdown.Slug(string.IsNullOrWhiteSpace(request.Slug) ? version.Title : request.Slug),
            AuthorAgentId = CurrentAgent.From(http.User)?.Id,
            CreatedAt = now,
            UpdatedAt = now,
            PublishedAt = status == ArticleStatus.Published ? now : null,
            Translations = [version],
        };
        db.KbArticles.Add(article);
        await db.SaveChangesAsync(ct);
        if (request.RelatedIds is { } related) await SetRelatedAsync(db, article.Id, related, ct);
        return TypedResults.Created($"/api/v1/kb/articles/{article.Id}", await LoadAsync(db, article.Id, urls, views, ct));
    }

    private static async Task SetRelatedAsync(SwitchboardDb db, long id, long[] relatedIds, CancellationToken ct)
    {
        var wanted = relatedIds.Where(r => r != id).Distinct().Take(20).ToList();
        var existing = await db.KbArticles.Where(a => wanted.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
        if (existing.Count != wanted.Count)
        {
            throw ProblemException.Invalid("relatedIds", $"Unknown articles: {string.Join(", ", wanted.Except(existing))}.");
        }
        await db.KbRelatedArticles.Where(r => r.ArticleId == id).ExecuteDeleteAsync(ct);
        db.KbRelatedArticles.AddRange(wanted.Select(r => new KbRelatedArticle { ArticleId = id, RelatedId = r }));
        await db.SaveChangesAsync(ct);
    }

    private static async Task<Ok<KbArticleDto>> UpdateArticleAsync(
        long id, KbArticleRequest request, SwitchboardDb db, PortalUrls urls, ArticleViews views, TimeProvider time, CancellationToken ct)
    {
        var article = await db.KbArticles.FirstOrDefaultAsync(a => a.Id == id, ct) ?? throw ProblemException.NotFound($"Article {id}");
        var now = time.GetUtcNow();
        if (request.CategoryId is { } categoryId && categoryId != article.CategoryId)
        {
            var category = await db.KbCategories.AsNoTracking().FirstOrDefaultAsync(c => c.Id == categoryId, ct)
                ?? throw ProblemException.Invalid("categoryId", $"Category {categoryId} does not exist.");
            article.CategoryId = category.Id;
            article.Audience = category.Audience;
        }
        if (request.Status is { } status && status != article.Status)
        {
            article.Status = status;
            if (status == ArticleStatus.Published) article.PublishedAt ??= now;
        }
        if (!string.IsNullOrWhiteSpace(request.Slug)) article.Slug = Markdown.Slug(request.Slug);
        if (request.Title is not null || request.Body is not null || request.Language is not null)
        {
            throw ProblemException.Invalid("title", "Change an article's text with PUT /api/v1/kb/articles/{id}/translations/{language}.");
        }
        article.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        if (request.RelatedIds is { } related) await SetRelatedAsync(db, id, related, ct);
        return TypedResults.Ok(await LoadAsync(db, id, urls, views, ct));
    }

    private static async Task<NoContent> DeleteArticleAsync(long id, SwitchboardDb db, CancellationToken ct)
    {
        if (!await db.KbArticles.AnyAsync(a => a.Id == id, ct)) throw ProblemException.NotFound($"Article {id}");
        await db.KbRelatedArticles.Where(r => r.RelatedId == id || r.ArticleId == id).ExecuteDeleteAsync(ct);
        // Translations go one by one through the change tracker's cascade; the search index follows by trigger.
        await db.KbTranslations.Where(t => t.ArticleId == id).ExecuteDeleteAsync(ct);
        await db.KbVotes.Where(v => v.ArticleId == id).ExecuteDeleteAsync(ct);
        await db.KbArticles.Where(a => a.Id == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<KbArticleDto>> PutTranslationAsync(
        long id, string language, KbTranslationRequest request, SwitchboardDb db, PortalUrls urls, ArticleViews views, IOptions<PortalOptions> options,
        TimeProvider time, CancellationToken ct)
    {
        var article = await db.KbArticles.FirstOrDefaultAsync(a => a.Id == id, ct) ?? throw ProblemException.NotFound($"Article {id}");
        var code = Language(language, options);
        var now = time.GetUtcNow();
        var fresh = Version(id, code, request.Title, request.Description, request.Body, now);
        var existing = await db.KbTranslations.FirstOrDefaultAsync(t => t.ArticleId == id && t.Language == code, ct);
        if (existing is null)
        {
            db.KbTranslations.Add(fresh);
        }
        else
        {
            existing.Title = fresh.Title;
            existing.Description = fresh.Description;
            existing.BodyMarkdown = fresh.BodyMarkdown;
            existing.BodyHtml = fresh.BodyHtml;
            existing.TitleTokens = fresh.TitleTokens;
            existing.BodyTokens = fresh.BodyTokens;
            existing.UpdatedAt = now;
        }
        article.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await LoadAsync(db, id, urls, views, ct));
    }

    private static async Task<NoContent> DeleteTranslationAsync(long id, string language, SwitchboardDb db, CancellationToken ct)
    {
        var code = Languages.Normalize(language) ?? language;
        var versions = await db.KbTranslations.Where(t => t.ArticleId == id).Select(t => t.Language).ToListAsync(ct);
        if (!versions.Contains(code)) throw ProblemException.NotFound($"The {code} version of article {id}");
        if (versions.Count == 1) throw ProblemException.Conflict("This is the article's only version; delete the article instead.");
        await db.KbTranslations.Where(t => t.ArticleId == id && t.Language == code).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ItemsDto<KbVoteDto>>> VotesAsync(long id, SwitchboardDb db, CancellationToken ct)
    {
        if (!await db.KbArticles.AnyAsync(a => a.Id == id, ct)) throw ProblemException.NotFound($"Article {id}");
        var votes = await db.KbVotes.AsNoTracking().Where(v => v.ArticleId == id).OrderByDescending(v => v.Id).Take(500)
            .Select(v => new KbVoteDto(v.Id, v.Helpful, v.Comment, v.Language, v.CreatedAt)).ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<KbVoteDto>(votes));
    }

    private static async Task<Ok<ItemsDto<KbSearchHitDto>>> SearchAsync(string? q, string? audience, string? language, SwitchboardDb db, PortalUrls urls, CancellationToken ct)
    {
        var base_ = ParseEnum<KbAudience>(audience, "audience") ?? KbAudience.Public;
        var hits = await KbSearch.SearchAsync(db, SearchQuery.Parse(q), base_, Languages.Normalize(language) ?? "en", 25, titlesOnly: false, ct);
        return TypedResults.Ok(new ItemsDto<KbSearchHitDto>(hits.Select(h => new KbSearchHitDto(
            h.ArticleId, h.Language, h.Title, h.Description,
            base_ == KbAudience.Public ? urls.Absolute(PortalUrls.Article(h.ArticleId, h.Slug, h.Language)) : null)).ToList()));
    }

    private static async Task<Ok<ItemsDto<KbSearchMissDto>>> MissesAsync(SwitchboardDb db, CancellationToken ct)
    {
        var misses = await db.KbSearchMisses.AsNoTracking().OrderByDescending(m => m.Count).ThenByDescending(m => m.LastAt).Take(200)
            .Select(m => new KbSearchMissDto(m.Query, m.Count, m.FirstAt, m.LastAt)).ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<KbSearchMissDto>(misses));
    }

    private static readonly Dictionary<string, string> ImageTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/png"] = "image/png",
        ["image/jpeg"] = "image/jpeg",
        ["image/gif"] = "image/gif",
        ["image/webp"] = "image/webp",
    };

    private static async Task<Created<KbImageDto>> UploadImageAsync(
        HttpRequest request, SwitchboardDb db, IAttachmentStore store, PortalUrls urls, TimeProvider time, CancellationToken ct)
    {
        if (!request.HasFormContentType) throw ProblemException.Invalid("file", "Send the image as multipart/form-data in a field named 'file'.");
        var form = await request.ReadFormAsync(ct);
        var file = form.Files.GetFile("file") ?? throw ProblemException.Invalid("file", "Send the image in a multipart field named 'file'.");
        // SVG is left out on purpose: it can carry script.
        if (!ImageTypes.TryGetValue(file.ContentType ?? "", out var contentType))
        {
            throw ProblemException.Invalid("file", "Images must be PNG, JPEG, GIF or WebP.");
        }
        StoredFile stored;
        await using (var content = file.OpenReadStream())
        {
            try
            {
                stored = await store.SaveAsync(content, ct);
            }
            catch (FileTooLargeException e)
            {
                throw new ProblemException(413, "Too large", e.Message);
            }
        }
        var name = Path.GetFileName(file.FileName);
        var image = new KbImage
        {
            Sha256 = stored.Sha256,
            FileName = name.Length is > 0 and <= 255 ? name : "image",
            ContentType = contentType,
            Size = stored.Size,
            CreatedAt = time.GetUtcNow(),
        };
        db.KbImages.Add(image);
        await db.SaveChangesAsync(ct);
        var url = urls.Path($"/kb/images/{image.Id}/{image.Sha256}");
        return TypedResults.Created(url, new KbImageDto(image.Id, image.FileName, image.ContentType, image.Size, url, $"![{image.FileName}]({url})"));
    }
}
