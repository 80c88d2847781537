using System.Globalization;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Core.Search;
using Switchboard.Portal.Views;
using Switchboard.Tickets;

namespace Switchboard.Portal;

/// <summary>The public knowledge base: home, categories, articles with votes, search with suggestions, FAQ, sitemap.</summary>
internal static class KnowledgeBasePages
{
    public static void Map(RouteGroupBuilder portal)
    {
        portal.MapGet("/", HomeAsync);
        portal.MapGet("/kb/categories/{id:long}/{slug?}", CategoryAsync);
        portal.MapGet("/kb/articles/{id:long}/{slug?}", ArticleAsync);
        portal.MapPost("/kb/articles/{id:long}/vote", VoteAsync).RequireRateLimiting(RateLimits.Post);
        portal.MapGet("/kb/images/{id:long}/{sha256}", ImageAsync);
        portal.MapGet("/search", SearchAsync).RequireRateLimiting(RateLimits.Search);
        portal.MapGet("/search/suggest", SuggestAsync).RequireRateLimiting(RateLimits.Search);
        portal.MapGet("/faq", FaqAsync);
        portal.MapGet("/sitemap.xml", SitemapAsync);
        portal.MapGet("/sitemap-{part:int}.xml", SitemapPartAsync);
        portal.MapGet("/portal.js", () => Results.Text(Script.Source, "text/javascript; charset=utf-8"));
    }

    private static async Task<IResult> HomeAsync(HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        var categories = await PublicCategories(db).ToListAsync(ct);
        var popular = await db.KbArticles.AsNoTracking()
            .Where(a => a.Audience == KbAudience.Public && a.Status == ArticleStatus.Published)
            .OrderByDescending(a => a.ViewCount).ThenBy(a => a.Id).Select(a => a.Id).Take(8).ToListAsync(ct);
        return Pages.Render<HomePage>(ctx, new HomeModel(categories, await ArticleItemsAsync(db, popular, ctx.Language, ct)));
    }

    private static IQueryable<CategoryItem> PublicCategories(SwitchboardDb db) =>
        db.KbCategories.AsNoTracking().Where(c => c.Audience == KbAudience.Public)
            .OrderBy(c => c.Position).ThenBy(c => c.Name)
            .Select(c => new CategoryItem(c.Id, c.Name, c.Slug, c.Description, c.ParentId));

    /// <summary>Titles of these published articles in the reader's language where there is one, in the order given.</summary>
    internal static async Task<List<ArticleItem>> ArticleItemsAsync(SwitchboardDb db, List<long> ids, string language, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var versions = await db.KbTranslations.AsNoTracking()
            .Where(t => ids.Contains(t.ArticleId))
            .Select(t => new { t.ArticleId, t.Language, t.Title, t.Description, t.Article!.Slug })
            .ToListAsync(ct);
        return ids.Select(id => versions.Where(v => v.ArticleId == id).OrderBy(v => v.Language == language ? 0 : v.Language == "en" ? 1 : 2).FirstOrDefault())
            .Where(v => v is not null)
            .Select(v => new ArticleItem(v!.ArticleId, v.Slug, v.Title, v.Description, v.Language))
            .ToList();
    }

    private static async Task<IResult> CategoryAsync(long id, HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        var categories = await PublicCategories(db).ToListAsync(ct);
        var category = categories.FirstOrDefault(c => c.Id == id);
        if (category is null) return NotFound(ctx);
        var articleIds = await db.KbArticles.AsNoTracking()
            .Where(a => a.CategoryId == id && a.Audience == KbAudience.Public && a.Status == ArticleStatus.Published)
            .OrderByDescending(a => a.ViewCount).ThenBy(a => a.Id).Select(a => a.Id).Take(200).ToListAsync(ct);
        return Pages.Render<CategoryPage>(ctx, new CategoryModel(
            category, categories.FirstOrDefault(c => c.Id == category.ParentId), categories.Where(c => c.ParentId == id).ToList(),
            await ArticleItemsAsync(db, articleIds, ctx.Language, ct)));
    }

    internal static IResult NotFound(PageContext ctx) =>
        Pages.Render<MessagePage>(ctx, new MessageModel("Not found", "This page does not exist or you do not have access to it.", true, "Back to the help center", ctx.Url("/")), 404);

    private static Task<IResult> ArticleAsync(long id, HttpContext http, SwitchboardDb db, CancellationToken ct) => ShowArticleAsync(id, http, db, null, ct);

    private static async Task<IResult> ShowArticleAsync(long id, HttpContext http, SwitchboardDb db, string? voted, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        var article = await db.KbArticles.AsNoTracking()
            .Where(a => a.Id == id && a.Audience == KbAudience.Public && a.Status == ArticleStatus.Published)
            .Select(a => new { a.Id, a.Slug, a.CategoryId, a.ViewCount })
            .FirstOrDefaultAsync(ct);
        if (article is null) return NotFound(ctx);
        var languages = await db.KbTranslations.AsNoTracking().Where(t => t.ArticleId == id).Select(t => t.Language).ToListAsync(ct);
        if (languages.Count == 0) return NotFound(ctx);
        var language = languages.Contains(ctx.Language) ? ctx.Language : languages.Contains("en") ? "en" : languages[0];
        var version = await db.KbTranslations.AsNoTracking()
            .Where(t => t.ArticleId == id && t.Language == language)
            .Select(t => new { t.Title, t.Description, t.BodyHtml, t.UpdatedAt })
            .FirstAsync(ct);
        var category = await db.KbCategories.AsNoTracking().Where(c => c.Id == article.CategoryId)
            .Select(c => new CategoryItem(c.Id, c.Name, c.Slug, c.Description, c.ParentId)).FirstAsync(ct);
        var relatedIds = await db.KbRelatedArticles.AsNoTracking()
            .Where(r => r.ArticleId == id)
            .Join(db.KbArticles.Where(a => a.Audience == KbAudience.Public && a.Status == ArticleStatus.Published), r => r.RelatedId, a => a.Id, (r, a) => a.Id)
            .Take(10).ToListAsync(ct);
        var views = http.RequestServices.GetRequiredService<ArticleViews>();
        if (voted is null) views.Count(id);
        var ordered = Languages.Supported.Where(languages.Contains).Concat(languages.Where(l => !Languages.Supported.Contains(l))).ToList();
        return Pages.Render<ArticlePage>(ctx with { Language = language }, new ArticleModel(
            article.Id, article.Slug, language, version.Title, version.Description, version.BodyHtml, version.UpdatedAt, article.ViewCount + views.Pending(id),
            ordered, await ArticleItemsAsync(db, relatedIds, language, ct), category,
            voted is null ? null : "Thank you for your feedback."));
    }

    private static async Task<IResult> VoteAsync(
        long id, [FromForm] bool helpful, [FromForm] string? comment, [FromForm] string? language,
        HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var exists = await db.KbArticles.AnyAsync(a => a.Id == id && a.Audience == KbAudience.Public && a.Status == ArticleStatus.Published, ct);
        if (!exists) return NotFound(await Pages.ContextAsync(http, db, ct));
        var text = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (text is { Length: > 2000 }) text = text[..2000];
        db.KbVotes.Add(new KbVote { ArticleId = id, Helpful = helpful, Comment = text, Language = Languages.Normalize(language) ?? "en", CreatedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        await (helpful
            ? db.KbArticles.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.HelpfulCount, a => a.HelpfulCount + 1), ct)
            : db.KbArticles.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.NotHelpfulCount, a => a.NotHelpfulCount + 1), ct));
        return await ShowArticleAsync(id, http, db, "yes", ct);
    }

    private static readonly HashSet<string> ImageTypes = ["image/png", "image/jpeg", "image/gif", "image/webp"];

    private static async Task<IResult> ImageAsync(long id, string sha256, SwitchboardDb db, IAttachmentStore store, CancellationToken ct)
    {
        var image = await db.KbImages.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id && i.Sha256 == sha256, ct);
        if (image is null || !ImageTypes.Contains(image.ContentType)) return Results.NotFound();
        return Results.Stream(store.OpenRead(image.Sha256), image.ContentType, lastModified: image.CreatedAt,
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue("\"" + image.Sha256 + "\""));
    }

    private static async Task<IResult> SearchAsync(string? q, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        var text = (q ?? "").Trim();
        if (text.Length > 200) text = text[..200];
        var query = SearchQuery.Parse(text);
        var hits = await KbSearch.SearchAsync(db, query, KbAudience.Public, ctx.Language, 20, titlesOnly: false, ct);
        if (hits.Count == 0 && text.Length > 0) await KbSearch.RecordMissAsync(db, text, time.GetUtcNow(), ct);
        return Pages.Render<SearchPage>(ctx, new SearchModel(text, hits));
    }

    private static async Task<IResult> SuggestAsync(string? q, HttpContext http, SwitchboardDb db, PortalUrls urls, CancellationToken ct)
    {
        var text = (q ?? "").Trim();
        // One letter suggests nothing useful; one Chinese character is a word.
        if (text.Length > 200 || (text.Length < 2 && !KbSearch.IsCharacter(text))) return Results.Ok(Array.Empty<object>());
        var hits = await KbSearch.SearchAsync(db, KbSearch.SuggestionQuery(q!), KbAudience.Public, Languages.FromRequest(http), 8, titlesOnly: true, ct);
        return Results.Ok(hits.Select(h => new { title = h.Title, url = urls.Path(PortalUrls.Article(h.ArticleId, h.Slug, h.Language)), language = h.Language }));
    }

    private static async Task<IResult> FaqAsync(HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        var items = await db.FaqItems.AsNoTracking().Where(f => f.IsPublished)
            .OrderBy(f => f.Category).ThenBy(f => f.Position).ThenBy(f => f.Id)
            .Select(f => new { f.Id, f.Category, f.Language, f.Question, f.AnswerHtml }).ToListAsync(ct);
        // The reader's language where the FAQ has entries in it, else English.
        var language = items.Any(i => i.Language == ctx.Language) ? ctx.Language : "en";
        var groups = items.Where(i => i.Language == language).GroupBy(i => i.Category)
            .Select(g => (g.Key, (IReadOnlyList<FaqEntry>)g.Select(i => new FaqEntry(i.Id, i.Question, i.AnswerHtml)).ToList()))
            .ToList();
        return Pages.Render<FaqPage>(ctx, new FaqModel(groups));
    }

    /// <summary>Sitemaps hold at most 50,000 addresses; past this many versions the sitemap is an index of numbered parts.</summary>
    internal const int SitemapPart = 40_000;

    private static IQueryable<KbTranslation> PublicVersions(SwitchboardDb db) =>
        db.KbTranslations.AsNoTracking().Where(t => t.Article!.Audience == KbAudience.Public && t.Article.Status == ArticleStatus.Published);

    private static async Task<IResult> SitemapAsync(SwitchboardDb db, PortalUrls urls, CancellationToken ct)
    {
        var count = await PublicVersions(db).CountAsync(ct);
        if (count <= SitemapPart) return await SitemapPartAsync(1, db, urls, ct);
        var parts = (count + SitemapPart - 1) / SitemapPart;
        return Xml(xml =>
        {
            xml.WriteStartElement("sitemapindex", "http://www.sitemaps.org/schemas/sitemap/0.9");
            for (var i = 1; i <= parts; i++)
            {
                xml.WriteStartElement("sitemap");
                xml.WriteElementString("loc", urls.Absolute($"/sitemap-{i}.xml"));
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        });
    }

    private static async Task<IResult> SitemapPartAsync(int part, SwitchboardDb db, PortalUrls urls, CancellationToken ct)
    {
        if (part < 1) return Results.NotFound();
        var versions = await PublicVersions(db).OrderBy(t => t.Id)
            .Skip((part - 1) * SitemapPart).Take(SitemapPart)
            .Select(t => new { t.ArticleId, t.Article!.Slug, t.Language, t.UpdatedAt })
            .ToListAsync(ct);
        if (part > 1 && versions.Count == 0) return Results.NotFound();
        // The first part also lists the pages that are not articles.
        var categories = part == 1
            ? await db.KbCategories.AsNoTracking().Where(c => c.Audience == KbAudience.Public).Select(c => new { c.Id, c.Slug }).ToListAsync(ct)
            : [];
        var topics = part == 1
            ? await db.ForumTopics.AsNoTracking().Where(t => !t.IsHidden && !t.IsSpam).OrderByDescending(t => t.LastPostAt)
                .Select(t => new { t.Id, t.LastPostAt }).Take(5_000).ToListAsync(ct)
            : [];
        return Xml(xml =>
        {
            xml.WriteStartElement("urlset", "http://www.sitemaps.org/schemas/sitemap/0.9");
            void Url(string loc, DateTimeOffset? modified)
            {
                xml.WriteStartElement("url");
                xml.WriteElementString("loc", loc);
                if (modified is { } m) xml.WriteElementString("lastmod", m.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                xml.WriteEndElement();
            }
            if (part == 1)
            {
                Url(urls.Absolute("/"), null);
                Url(urls.Absolute("/faq"), null);
                Url(urls.Absolute("/forum"), null);
                foreach (var c in categories) Url(urls.Absolute(PortalUrls.Category(c.Id, c.Slug)), null);
                foreach (var t in topics) Url(urls.Absolute($"/forum/topics/{t.Id}"), t.LastPostAt);
            }
            foreach (var v in versions) Url(urls.Absolute(PortalUrls.Article(v.ArticleId, v.Slug, v.Language)), v.UpdatedAt);
            xml.WriteEndElement();
        });
    }

    private static IResult Xml(Action<XmlWriter> write)
    {
        var sb = new StringBuilder();
        using (var xml = XmlWriter.Create(sb, new XmlWriterSettings { Indent = false }))
        {
            write(xml);
        }
        return Results.Text(sb.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal), "application/xml; charset=utf-8");
    }
}
