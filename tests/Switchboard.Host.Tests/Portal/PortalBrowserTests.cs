using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Switchboard.Core.Data;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Portal;

/// <summary>The portal as customers use it, in Chromium: reading, searching, signing up, posting, voting, contact forms.</summary>
public sealed partial class PortalBrowserTests(PortalBrowserHost host) : IClassFixture<PortalBrowserHost>
{
    private const string Password = "a long portal password";

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    private async Task<JsonElement> PublishAsync(string title, string body, string language = "en")
    {
        var category = await host.Admin.PostAsJsonAsync("/api/v1/kb/categories", new { name = Unique("Help ") }).ShouldBeAsync(HttpStatusCode.Created);
        return await host.Admin.PostAsJsonAsync("/api/v1/kb/articles", new { categoryId = category.Id(), language, title, body, status = "published" })
            .ShouldBeAsync(HttpStatusCode.Created);
    }

    private async Task EnsureMailboxAsync()
    {
        var boxes = await host.Admin.GetAsync("/api/v1/mailboxes").ShouldBeAsync(HttpStatusCode.OK);
        if (boxes.Items().Any()) return;
        using var created = await host.Admin.PostAsJsonAsync("/api/v1/mailboxes", new
        {
            address = "help@portal.test",
            name = "Help",
            inbound = new { type = "smtp" },
            outbound = new { host = "127.0.0.1", port = 2525, security = "none" },
        });
    }

    /// <summary>The link in the newest mail to the address, pointed at the host the browser reaches.</summary>
    private async Task<string> MailedLinkAsync(string address, string path)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var text = await db.OutboundMails.AsNoTracking().Where(m => m.ToAddresses == address).OrderByDescending(m => m.Id).Select(m => m.BodyText).FirstAsync();
        var link = Links().Matches(text).Select(m => new Uri(m.Value)).First(u => u.AbsolutePath == path);
        return host.BaseUrl + link.PathAndQuery;
    }

    /// <summary>Signs up in the browser and follows the mailed link; the page is signed in afterwards.</summary>
    private async Task<IPage> SignUpAsync(string name, string email)
    {
        await EnsureMailboxAsync();
        var page = await host.NewPageAsync();
        await page.GotoAsync("/portal");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign up" }).ClickAsync();
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email" })).ToBeVisibleAsync();
        await page.GotoAsync(await MailedLinkAsync(email, "/portal/verify"));
        await Assertions.Expect(page.GetByText("Your address is confirmed and you are signed in.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("header .me")).ToContainTextAsync(name);
        return page;
    }

    [Fact]
    public async Task Article_IsReadableWithoutSigningIn()
    {
        var title = "Set up two-step sign-in " + Unique("a");
        var article = await PublishAsync(title, "1. Open **Security**.\n2. Scan the code.");
        var page = await host.NewPageAsync();

        await page.GotoAsync($"/portal/kb/articles/{article.Id()}/{article.Str("slug")}");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("article strong")).ToHaveTextAsync("Security");
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex(Regex.Escape(title)));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Search_InEnglishAndChinese_SuggestsWhileTypingAndFindsArticles()
    {
        var word = Unique("modem");
        var english = await PublishAsync($"Restart your {word}", "Unplug it and wait.");
        var chinese = await PublishAsync($"如何申请退款 {word}", "在订单页面点击退款。", "zh-Hans");
        var page = await host.NewPageAsync();
        await page.GotoAsync("/portal");

        var box = page.GetByRole(AriaRole.Searchbox);
        await box.PressSequentiallyAsync($"restart {word[..^2]}", new() { Delay = 20 });
        await Assertions.Expect(page.Locator(".suggestions a")).ToHaveTextAsync($"Restart your {word}");
        await page.Locator(".suggestions a").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Restart your {word}" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Searchbox).FillAsync($"restart {word}");
        await page.GetByRole(AriaRole.Searchbox).PressAsync("Enter");
        await Assertions.Expect(page.Locator("ol.results a")).ToHaveTextAsync($"Restart your {word}");

        await page.GetByRole(AriaRole.Searchbox).FillAsync($"退款 {word}");
        await page.GetByRole(AriaRole.Searchbox).PressAsync("Enter");
        await Assertions.Expect(page.Locator("ol.results a")).ToHaveTextAsync($"如何申请退款 {word}");
        await page.Locator("ol.results a").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"如何申请退款 {word}" })).ToBeVisibleAsync();
        Assert.Contains($"/kb/articles/{chinese.Id()}/", page.Url, StringComparison.Ordinal);
        Assert.NotEqual(english.Id(), chinese.Id());
    }

    [Fact]
    public async Task SignUp_ThenPostInTheForum()
    {
        var category = await host.Admin.PostAsJsonAsync("/api/v1/forum/categories", new { name = Unique("Questions ") }).ShouldBeAsync(HttpStatusCode.Created);
        var page = await SignUpAsync("Ligaya Santos", Unique("ligaya") + "@example.test");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Portal" }).GetByRole(AriaRole.Link, new() { Name = "Forum" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = category.Str("name") }).ClickAsync();
        await page.GetByLabel("Title").FillAsync("Paano i-reset ang password? 怎么重置密码");
        await page.GetByLabel("Your question").FillAsync("Hindi ko ma-reset.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Post topic" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Paano i-reset ang password? 怎么重置密码" })).ToBeVisibleAsync();
        await page.GetByLabel("Your reply").FillAsync("Nahanap ko na, salamat!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reply" }).ClickAsync();
        await Assertions.Expect(page.Locator("article.post")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("article.post").Last).ToContainTextAsync("Nahanap ko na, salamat!");
    }

    [Fact]
    public async Task Suggestion_SubmitAndVote()
    {
        var page = await SignUpAsync("Vic Voter", Unique("vic") + "@example.test");
        var idea = "Export to PDF " + Unique("i");

        await page.GotoAsync("/portal/feedback");
        await page.GetByLabel("Idea").FillAsync(idea);
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit idea" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = idea })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Vote for this" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Thank you for your vote.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("strong.votes")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Remove my vote" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ContactForm_CreatesATicketSeenInTheCustomersHistoryAndTheAgentInbox()
    {
        var form = await host.Admin.PostAsJsonAsync("/api/v1/contact-forms", new
        {
            name = "Get in touch " + Unique("f"),
            fields = new object[]
            {
                new { name = "name", label = "Your name", type = "text", required = true },
                new { name = "email", label = "Email address", type = "email", required = true },
                new { name = "topic", label = "Topic", type = "select", options = new[] { "Billing", "Technical" } },
                new { name = "message", label = "Message", type = "textarea", required = true },
            },
        }).ShouldBeAsync(HttpStatusCode.Created);
        var email = Unique("rosa") + "@example.test";
        var visitor = await host.NewPageAsync();

        await visitor.GotoAsync(new Uri(form.Str("url")).PathAndQuery);
        await visitor.GetByLabel("Your name").FillAsync("Rosa Lim");
        await visitor.GetByLabel("Email address").FillAsync(email);
        await visitor.GetByLabel("Topic").SelectOptionAsync("Billing");
        await visitor.GetByLabel("Message").FillAsync("Double charge on my card. 重复扣款。");
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Assertions.Expect(visitor.GetByRole(AriaRole.Status)).ToContainTextAsync("Reference #");
        var ticketId = long.Parse(Reference().Match(await visitor.GetByRole(AriaRole.Status).InnerTextAsync()).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        var inbox = await host.Admin.GetAsync("/api/v1/tickets?channel=form&limit=100").ShouldBeAsync(HttpStatusCode.OK);
        Assert.Contains(inbox.Items(), t => t.Id() == ticketId && t.GetProperty("customer").Str("email") == email);

        var customer = await SignUpAsync("Rosa Lim", email);
        await customer.GotoAsync("/portal/tickets");
        await customer.GetByRole(AriaRole.Link, new() { Name = form.Str("name") }).ClickAsync();
        await Assertions.Expect(customer.GetByRole(AriaRole.Heading, new() { Name = $"#{ticketId} {form.Str("name")}" })).ToBeVisibleAsync();
        await Assertions.Expect(customer.Locator("section.message")).ToContainTextAsync("Double charge on my card. 重复扣款。");
    }

    [Fact]
    public async Task PasswordReset_InTheBrowser_SetsANewPassword()
    {
        var email = Unique("reset") + "@example.test";
        var first = await SignUpAsync("Rey Reset", email);
        await first.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await first.GotoAsync("/portal/signin");
        await first.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
        await first.GetByLabel("Email").FillAsync(email);
        await first.GetByRole(AriaRole.Button, new() { Name = "Send a reset link" }).ClickAsync();
        await Assertions.Expect(first.GetByText("If an account exists for that address")).ToBeVisibleAsync();
        await first.GotoAsync(await MailedLinkAsync(email, "/portal/reset"));
        await first.GetByLabel("New password").FillAsync("my new portal password");
        await first.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
        await Assertions.Expect(first.GetByText("Your password is changed")).ToBeVisibleAsync();

        await first.GotoAsync("/portal/signin");
        await first.GetByLabel("Email").FillAsync(email);
        await first.GetByLabel("Password").FillAsync("my new portal password");
        await first.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(first.GetByRole(AriaRole.Heading, new() { Name = "My tickets" })).ToBeVisibleAsync();
    }

    [GeneratedRegex(@"https?://[^\s]+")]
    private static partial Regex Links();

    [GeneratedRegex(@"Reference #(\d+)")]
    private static partial Regex Reference();
}
