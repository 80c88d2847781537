using System.Net;
using System.Net.Http.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Portal;

/// <summary>Every portal page speaks English, Filipino and Simplified Chinese, chosen by ?lang=, the customer's profile or the browser.</summary>
public abstract class PortalLanguageTests(SwitchboardFactory factory) : PortalTests(factory)
{
    public static TheoryData<string, string, string> AnonymousPages => new()
    {
        { "/portal/forum?lang=fil", "<h1>Forum ng komunidad</h1>", "Community forum" },
        { "/portal/forum?lang=zh-Hans", "<h1>社区论坛</h1>", "Community forum" },
        { "/portal/feedback?lang=fil", "<h1>Mga puna at mungkahi</h1>", "Suggest something" },
        { "/portal/feedback?lang=zh-Hans", "<h2>提出建议</h2>", "Suggest something" },
        { "/portal/signin?lang=fil", "Nakalimutan ang password?", "Forgot your password?" },
        { "/portal/signin?lang=zh-Hans", "忘记密码？", "Forgot your password?" },
        { "/portal/signup?lang=zh-Hans", "创建账户", "Create account" },
        { "/portal/forgot?lang=fil", "Ipadala ang link sa pag-reset", "Send a reset link" },
        { "/portal/faq?lang=zh-Hans", "<h1>常见问题</h1>", "Frequently asked questions" },
        { "/portal/faq?lang=fil", "<h1>Mga madalas itanong</h1>", "Frequently asked questions" },
        { "/portal/search?q=&lang=zh-Hans", "输入几个词来搜索知识库。", "Type a few words" },
    };

    [Theory]
    [MemberData(nameof(AnonymousPages))]
    public async Task Page_InAnotherLanguage_ShowsTranslatedLabels(string path, string translated, string english)
    {
        var html = await HtmlAsync(Visitor(), path);

        Assert.Contains(translated, html, StringComparison.Ordinal);
        Assert.DoesNotContain(english, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotFoundPage_InChinese_IsTranslated()
    {
        var html = await HtmlAsync(Visitor(), "/portal/kb/articles/999999999/nothing?lang=zh-Hans", HttpStatusCode.NotFound);

        Assert.Contains("此页面不存在，或您无权访问。", html, StringComparison.Ordinal);
        Assert.Contains("返回帮助中心", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormWithoutToken_InABrowserInChinese_AnswersATranslatedPage()
    {
        var visitor = Visitor();
        visitor.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        using var response = await visitor.PostAsync("/portal/signin?lang=zh-Hans", new FormUrlEncodedContent(Fields(("email", UniqueEmail()), ("password", "x"))));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("表单已过期。请返回、刷新页面后重新提交。", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownPortalAddress_InABrowserInFilipino_AnswersATranslatedPage()
    {
        var visitor = Visitor();
        visitor.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        var html = await HtmlAsync(visitor, "/portal/no/such/page?lang=fil", HttpStatusCode.NotFound);

        Assert.Contains("<h1>Hindi nahanap</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Bumalik sa help center", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WrongPasswordInFilipino_ExplainsInFilipino()
    {
        var (status, html, _) = await SubmitAsync(Visitor(), "/portal/signin?lang=fil", "/portal/signin?lang=fil",
            Fields(("email", UniqueEmail()), ("password", "wrong password")));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Mali ang email address o password.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerPages_InTheProfileLanguage_AreTranslated()
    {
        var customer = await SignUpAsync("Chen Jing 陈静");
        await SubmitAsync(customer.Client, "/portal/profile", "/portal/profile", Fields(("name", "Chen Jing 陈静"), ("language", "zh-Hans")));
        var (_, created, url) = await SubmitAsync(customer.Client, "/portal/tickets/new", "/portal/tickets/new", Fields(("subject", "无法登录"), ("body", "请帮忙。")));

        var list = await HtmlAsync(customer.Client, "/portal/tickets");
        var profile = await HtmlAsync(customer.Client, "/portal/profile");
        var english = await HtmlAsync(customer.Client, "/portal/tickets?lang=en");

        Assert.Contains("状态：", created, StringComparison.Ordinal);
        Assert.Contains("发送回复", created, StringComparison.Ordinal);
        Assert.Contains("<h1>我的工单</h1>", list, StringComparison.Ordinal);
        Assert.Contains("<th>主题</th>", list, StringComparison.Ordinal);
        Assert.Contains("更改密码", profile, StringComparison.Ordinal);
        Assert.Contains("我们识别您的方式", profile, StringComparison.Ordinal);
        Assert.Contains("<h1>My tickets</h1>", english, StringComparison.Ordinal);
        Assert.NotNull(url);
    }

    [Fact]
    public async Task Topic_InFilipino_ShowsTranslatedFormsAndCounts()
    {
        var category = await Admin.PostAsJsonAsync("/api/v1/forum/categories", new { name = Unique("Tanong ") }).ShouldBeAsync(HttpStatusCode.Created);
        var customer = await SignUpAsync();
        var slug = category.Str("slug");
        var (_, topic, _) = await SubmitAsync(customer.Client, $"/portal/forum/{slug}?lang=fil", $"/portal/forum/{slug}/topics?lang=fil",
            Fields(("title", "Paano mag-export?"), ("body", "Salamat!")));
        var list = await HtmlAsync(Visitor(), $"/portal/forum/{slug}?lang=fil");

        Assert.Contains("Iyong sagot", topic, StringComparison.Ordinal);
        Assert.Contains("Huwag nang sundan", topic, StringComparison.Ordinal);
        Assert.Contains("0 sagot", list, StringComparison.Ordinal);
        Assert.Contains("Mag-sign in</a> para mag-post.", list, StringComparison.Ordinal);
    }
}

public sealed class PortalLanguageTests_Sqlite(PortalSqliteFactory factory) : PortalLanguageTests(factory), IClassFixture<PortalSqliteFactory>;

public sealed class PortalLanguageTests_Postgres(PortalPostgresFactory factory) : PortalLanguageTests(factory), IClassFixture<PortalPostgresFactory>;
