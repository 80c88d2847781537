using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Portal;

/// <summary>The public knowledge base: articles, languages, search in English and Chinese, votes, views, sitemap, FAQ, images.</summary>
public abstract class KnowledgeBaseTests(SwitchboardFactory factory) : PortalTests(factory)
{
    private static string ArticlePath(JsonElement article, string? lang = null) =>
        $"/portal/kb/articles/{article.Id()}/{article.Str("slug")}" + (lang is null ? "" : "?lang=" + lang);

    [Fact]
    public async Task Article_Published_ReadableWithoutSignInWithTitleDescriptionAndCanonical()
    {
        var word = Unique("printer");
        var (_, article) = await PublishArticleAsync($"Fix the {word}", "## Steps\n\nPress **Reset** and wait.", description: "How to reset it.");

        var html = await HtmlAsync(Visitor(), ArticlePath(article));

        Assert.Contains($"<title>Fix the {word} · Help Center</title>", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"description\" content=\"How to reset it.\"", html, StringComparison.Ordinal);
        Assert.Contains($"<link rel=\"canonical\" href=\"{Factory.PublicUrl}/portal/kb/articles/{article.Id()}/{article.Str("slug")}\"", html, StringComparison.Ordinal);
        Assert.Contains("<strong>Reset</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<h2", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Article_DraftOrInternal_AnswersNotFoundOnThePortal()
    {
        var (_, draft) = await PublishArticleAsync("Draft " + Unique("d"), "Not yet.", status: "draft");
        var (_, internalArticle) = await PublishArticleAsync("Internal " + Unique("i"), "Agents only.", audience: "internal");

        await HtmlAsync(Visitor(), ArticlePath(draft), HttpStatusCode.NotFound);
        await HtmlAsync(Visitor(), ArticlePath(internalArticle), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task InternalBase_SearchedByAgents_NotByThePublic()
    {
        var word = Unique("escalation");
        await PublishArticleAsync($"Runbook {word}", "Call the duty manager.", audience: "internal");

        var agentHits = await GetAsync($"/api/v1/kb/search?q={word}&audience=internal");
        var publicPage = await HtmlAsync(Visitor(), $"/portal/search?q={word}");

        Assert.Equal($"Runbook {word}", Assert.Single(agentHits.Items()).Str("title"));
        Assert.Contains("id=\"no-results\"", publicPage, StringComparison.Ordinal);
        await Visitor().GetAsync("/api/v1/kb/search?q=x").ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Article_UnsafeMarkdown_IsRenderedWithoutScripts()
    {
        var (_, article) = await PublishArticleAsync("Unsafe " + Unique("u"),
            "<script>alert('x')</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(2)>");

        var html = await HtmlAsync(Visitor(), ArticlePath(article));

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Article_Translations_ShowChosenLanguageWithSwitchAndAlternates()
    {
        var (_, article) = await PublishArticleAsync("Reset your password " + Unique("r"), "Open settings.");
        await Admin.PutAsJsonAsync($"/api/v1/kb/articles/{article.Id()}/translations/fil", new { title = "Palitan ang iyong password", body = "Buksan ang mga setting." })
            .ShouldBeAsync(HttpStatusCode.OK);
        var updated = await Admin.PutAsJsonAsync($"/api/v1/kb/articles/{article.Id()}/translations/zh-Hans", new { title = "重置您的密码", body = "打开设置。" })
            .ShouldBeAsync(HttpStatusCode.OK);

        var chinese = await HtmlAsync(Visitor(), ArticlePath(article, "zh-Hans"));
        var filipino = await HtmlAsync(Visitor(), ArticlePath(article, "fil"));

        Assert.Equal(["en", "fil", "zh-Hans"], updated.GetProperty("translations").EnumerateArray().Select(t => t.Str("language")));
        Assert.Contains("<h1>重置您的密码</h1>", chinese, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"zh-Hans\">", chinese, StringComparison.Ordinal);
        Assert.Contains("hreflang=\"fil\"", chinese, StringComparison.Ordinal);
        Assert.Contains(">Filipino</a>", chinese, StringComparison.Ordinal);
        Assert.Contains("<h1>Palitan ang iyong password</h1>", filipino, StringComparison.Ordinal);
        Assert.Contains("这篇文章有帮助吗？", chinese, StringComparison.Ordinal);
        Assert.Contains("Nakatulong ba ito?", filipino, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_BrowserLanguage_ChoosesThePortalsWording()
    {
        var chinese = Visitor();
        chinese.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN,zh;q=0.9");

        var html = await HtmlAsync(chinese, "/portal");

        Assert.Contains("<html lang=\"zh-Hans\">", html, StringComparison.Ordinal);
        Assert.Contains("<h1>我们能帮您什么？</h1>", html, StringComparison.Ordinal);
        Assert.Contains(">知识库</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_EnglishWords_RanksTitleMatchesFirst()
    {
        var word = Unique("router");
        var (_, inBody) = await PublishArticleAsync("Network basics " + Unique("n"), $"Sometimes the {word} needs a restart.");
        var (_, inTitle) = await PublishArticleAsync($"Restart the {word}", "Unplug it for ten seconds.");

        var html = await HtmlAsync(Visitor(), $"/portal/search?q={word}");

        var first = html.IndexOf($"/kb/articles/{inTitle.Id()}/", StringComparison.Ordinal);
        var second = html.IndexOf($"/kb/articles/{inBody.Id()}/", StringComparison.Ordinal);
        Assert.True(first > 0 && second > first, "The article with the word in its title should come first.");
    }

    [Fact]
    public async Task Search_Chinese_FindsWordsInsideSentences()
    {
        var marker = Unique("zh");
        var (_, article) = await PublishArticleAsync($"如何申请退款 {marker}", "请在订单页面点击退款按钮，我们会在三天内处理。", language: "zh-Hans");

        var byTitle = await HtmlAsync(Visitor(), "/portal/search?q=" + Uri.EscapeDataString($"退款 {marker}"));
        var byBody = await HtmlAsync(Visitor(), "/portal/search?q=" + Uri.EscapeDataString($"三天内处理 {marker}"));

        Assert.Contains($"/kb/articles/{article.Id()}/", byTitle, StringComparison.Ordinal);
        Assert.Contains($"/kb/articles/{article.Id()}/", byBody, StringComparison.Ordinal);
        Assert.Contains("如何申请退款", byBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_OneChineseCharacter_FindsItAnywhereInATextAndInTheSuggestions()
    {
        // U+4DB5 is in no other test's text: the results are this test's articles alone.
        var (_, inside) = await PublishArticleAsync("测\u4DB5试 " + Unique("zh"), "中间有这个字。", language: "zh-Hans");
        var (_, atEnd) = await PublishArticleAsync("说明 " + Unique("zh"), "最后一个字是\u4DB5", language: "zh-Hans");
        var (_, without) = await PublishArticleAsync("测试 " + Unique("zh"), "没有那个字。", language: "zh-Hans");

        var html = await HtmlAsync(Visitor(), "/portal/search?q=" + Uri.EscapeDataString("\u4DB5"));
        var suggestions = await GetAsync("/portal/search/suggest?q=" + Uri.EscapeDataString("\u4DB5"), Visitor());

        Assert.Contains($"/kb/articles/{inside.Id()}/", html, StringComparison.Ordinal);
        Assert.Contains($"/kb/articles/{atEnd.Id()}/", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"/kb/articles/{without.Id()}/", html, StringComparison.Ordinal);
        Assert.StartsWith($"/portal/kb/articles/{inside.Id()}/", Assert.Single(suggestions.EnumerateArray()).Str("url"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_NoResult_IsRecordedForTheTeamWithACount()
    {
        var query = Unique("Nonexistent ");

        await HtmlAsync(Visitor(), "/portal/search?q=" + Uri.EscapeDataString(query));
        await HtmlAsync(Visitor(), "/portal/search?q=" + Uri.EscapeDataString(query.ToUpperInvariant()));

        var misses = await GetAsync("/api/v1/kb/search-misses");
        var miss = misses.Items().Single(m => string.Equals(m.Str("query"), query, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, miss.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Suggest_WhileTyping_ReturnsMatchingTitlesWithLinks()
    {
        var word = Unique("wifi");
        var (_, article) = await PublishArticleAsync($"Connect to {word} networks", "Choose the network.");

        var suggestions = await GetAsync("/portal/search/suggest?q=" + Uri.EscapeDataString($"connect {word[..^3]}"), Visitor());

        var suggestion = Assert.Single(suggestions.EnumerateArray());
        Assert.Equal($"Connect to {word} networks", suggestion.Str("title"));
        Assert.Equal($"/portal/kb/articles/{article.Id()}/{article.Str("slug")}", suggestion.Str("url"));
    }

    [Fact]
    public async Task Vote_HelpfulWithComment_IsCountedAndListedForTheTeam()
    {
        var (_, article) = await PublishArticleAsync("Helpful " + Unique("h"), "Some help.");
        var visitor = Visitor();

        var (status, html, _) = await SubmitAsync(visitor, ArticlePath(article), $"/portal/kb/articles/{article.Id()}/vote",
            Fields(("helpful", "false"), ("comment", "Missing a screenshot — 缺少截图"), ("language", "en")));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Thank you for your feedback.", html, StringComparison.Ordinal);
        var votes = await GetAsync($"/api/v1/kb/articles/{article.Id()}/votes");
        var vote = Assert.Single(votes.Items());
        Assert.False(vote.GetProperty("helpful").GetBoolean());
        Assert.Equal("Missing a screenshot — 缺少截图", vote.Str("comment"));
        Assert.Equal(1, (await GetAsync($"/api/v1/kb/articles/{article.Id()}")).GetProperty("notHelpfulCount").GetInt32());
    }

    [Fact]
    public async Task Vote_WithoutAntiforgeryToken_IsRefused()
    {
        var (_, article) = await PublishArticleAsync("Forged " + Unique("f"), "Body.");

        using var response = await Visitor().PostAsync($"/portal/kb/articles/{article.Id()}/vote", new FormUrlEncodedContent(Fields(("helpful", "true"))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, (await GetAsync($"/api/v1/kb/articles/{article.Id()}")).GetProperty("helpfulCount").GetInt32());
    }

    [Fact]
    public async Task Article_EachView_IsCounted()
    {
        var (_, article) = await PublishArticleAsync("Views " + Unique("v"), "Body.");

        await HtmlAsync(Visitor(), ArticlePath(article));
        await HtmlAsync(Visitor(), ArticlePath(article));

        Assert.Equal(2, (await GetAsync($"/api/v1/kb/articles/{article.Id()}")).GetProperty("viewCount").GetInt64());
    }

    [Fact]
    public async Task Article_RelatedArticles_AreLinked()
    {
        var (_, first) = await PublishArticleAsync("First " + Unique("a"), "One.");
        var (_, second) = await PublishArticleAsync("Second " + Unique("b"), "Two.");
        await PatchAsync($"/api/v1/kb/articles/{first.Id()}", new { relatedIds = new[] { second.Id() } });

        var html = await HtmlAsync(Visitor(), ArticlePath(first));

        Assert.Contains("Related articles", html, StringComparison.Ordinal);
        Assert.Contains($"/kb/articles/{second.Id()}/", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sitemap_ListsPublishedArticlesWithAbsoluteUrls_NotDrafts()
    {
        var (_, published) = await PublishArticleAsync("Mapped " + Unique("m"), "Body.");
        var (_, draft) = await PublishArticleAsync("Unmapped " + Unique("u"), "Body.", status: "draft");

        using var response = await Visitor().GetAsync("/portal/sitemap.xml");
        var xml = await response.Content.ReadAsStringAsync();

        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<loc>{Factory.PublicUrl}/portal/kb/articles/{published.Id()}/{published.Str("slug")}</loc>", xml, StringComparison.Ordinal);
        Assert.DoesNotContain($"/kb/articles/{draft.Id()}/", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Faq_ShowsQuestionsGroupedByCategory()
    {
        var category = Unique("Billing ");
        await Admin.PostAsJsonAsync("/api/v1/faq", new { category, question = "Can I pay by card?", answer = "Yes, **all** major cards." }).ShouldBeAsync(HttpStatusCode.Created);

        var html = await HtmlAsync(Visitor(), "/portal/faq");

        Assert.Contains($"<h2>{category}</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<summary>Can I pay by card?</summary>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>all</strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Images_UploadedPng_IsServedPublicly_SvgIsRefused()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", "diagram.png");
        var image = await Admin.PostAsync("/api/v1/kb/images", form).ShouldBeAsync(HttpStatusCode.Created);

        using var served = await Visitor().GetAsync(image.Str("url"));
        using var svgForm = new MultipartFormDataContent();
        var svg = new StringContent("<svg onload=\"alert(1)\"/>");
        svg.Headers.ContentType = new MediaTypeHeaderValue("image/svg+xml");
        svgForm.Add(svg, "file", "x.svg");

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await served.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("![diagram.png](/portal/kb/images/", image.Str("markdown"), StringComparison.Ordinal);
        await Admin.PostAsync("/api/v1/kb/images", svgForm).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task CreateArticle_UnknownLanguage_ExplainsTheChoices()
    {
        var category = await Admin.PostAsJsonAsync("/api/v1/kb/categories", new { name = Unique("C ") }).ShouldBeAsync(HttpStatusCode.Created);

        var problem = await Admin.PostAsJsonAsync("/api/v1/kb/articles", new { categoryId = category.Id(), language = "xx", title = "T", body = "B" })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("en, fil, zh-Hans", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_ListsCategoriesWithSubCategories()
    {
        var parent = await Admin.PostAsJsonAsync("/api/v1/kb/categories", new { name = Unique("Accounts ") }).ShouldBeAsync(HttpStatusCode.Created);
        var child = await Admin.PostAsJsonAsync("/api/v1/kb/categories", new { name = Unique("Passwords "), parentId = parent.Id() }).ShouldBeAsync(HttpStatusCode.Created);

        var home = await HtmlAsync(Visitor(), "/portal");
        var category = await HtmlAsync(Visitor(), $"/portal/kb/categories/{parent.Id()}/{parent.Str("slug")}");

        Assert.Contains(parent.Str("name"), home, StringComparison.Ordinal);
        Assert.Contains(child.Str("name"), home, StringComparison.Ordinal);
        Assert.Contains($"/kb/categories/{child.Id()}/", category, StringComparison.Ordinal);
    }
}

public sealed class KnowledgeBaseTests_Sqlite(PortalSqliteFactory factory) : KnowledgeBaseTests(factory), IClassFixture<PortalSqliteFactory>;

public sealed class KnowledgeBaseTests_Postgres(PortalPostgresFactory factory) : KnowledgeBaseTests(factory), IClassFixture<PortalPostgresFactory>;
