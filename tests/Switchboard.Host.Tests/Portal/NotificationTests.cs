using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Portal;

/// <summary>Mail about the community through the real outbox: replies to followed topics, status changes of suggestions.</summary>
public abstract class NotificationTests(SwitchboardFactory factory) : PortalTests(factory)
{
    private async Task<JsonElement> ForumCategoryAsync() =>
        await Admin.PostAsJsonAsync("/api/v1/forum/categories", new { name = Unique("Help ") }).ShouldBeAsync(HttpStatusCode.Created);

    private static async Task<long> PostTopicAsync(Customer customer, JsonElement category, string title)
    {
        var slug = category.Str("slug");
        var (status, html, url) = await SubmitAsync(customer.Client, $"/portal/forum/{slug}", $"/portal/forum/{slug}/topics", Fields(("title", title), ("body", "How do I do this?")));
        Assert.True(status == HttpStatusCode.OK, html);
        return long.Parse(url!.AbsolutePath.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<(HttpStatusCode Status, string Html, Uri? Url)> ReplyAsync(Customer customer, long topic, string body) =>
        SubmitAsync(customer.Client, $"/portal/forum/topics/{topic}", $"/portal/forum/topics/{topic}/replies", Fields(("body", body)));

    private async Task<List<(string Subject, string Text)>> ReplyMailsAsync(string address, string title) =>
        (await MailsToAsync(address)).Where(m => m.Subject.Contains(title, StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task Reply_ByAnotherCustomer_MailsTheAuthorButNotTheReplier()
    {
        var category = await ForumCategoryAsync();
        var author = await SignUpAsync("Ana Reyes");
        var helper = await SignUpAsync("Li Wei 李伟");
        var title = "Paano mag-export? 如何导出 " + Unique("t");
        var topic = await PostTopicAsync(author, category, title);

        await ReplyAsync(helper, topic, "Open Settings → Export. 在设置里导出。");

        var mail = Assert.Single(await ReplyMailsAsync(author.Email, title));
        Assert.Contains("new reply to", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Li Wei 李伟 replied", mail.Text, StringComparison.Ordinal);
        Assert.Contains("在设置里导出。", mail.Text, StringComparison.Ordinal);
        Assert.Contains($"/portal/forum/topics/{topic}", mail.Text, StringComparison.Ordinal);
        Assert.Empty(await ReplyMailsAsync(helper.Email, title));
    }

    [Fact]
    public async Task Reply_Replier_FollowsAndHearsOfTheNextReply()
    {
        var category = await ForumCategoryAsync();
        var author = await SignUpAsync();
        var helper = await SignUpAsync();
        var title = "Follow me " + Unique("t");
        var topic = await PostTopicAsync(author, category, title);
        await ReplyAsync(helper, topic, "Try restarting.");

        await ReplyAsync(author, topic, "That worked, thanks!");

        var mail = Assert.Single(await ReplyMailsAsync(helper.Email, title));
        Assert.Contains("That worked, thanks!", mail.Text, StringComparison.Ordinal);
        Assert.Single(await ReplyMailsAsync(author.Email, title));
    }

    [Fact]
    public async Task Reply_ByStaffThroughTheApi_MailsFollowersInTheirLanguage()
    {
        var category = await ForumCategoryAsync();
        var author = await SignUpAsync("Wang Fang");
        await SubmitAsync(author.Client, "/portal/profile", "/portal/profile", Fields(("name", "Wang Fang"), ("language", "zh-Hans")));
        var title = "导出问题 " + Unique("t");
        var topic = await PostTopicAsync(author, category, title);

        await Admin.PostAsJsonAsync($"/api/v1/forum/topics/{topic}/posts", new { body = "Use **Export** in settings." }).ShouldBeAsync(HttpStatusCode.Created);

        var mail = Assert.Single(await ReplyMailsAsync(author.Email, title));
        Assert.Contains("有新回复", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("不再接收此主题的邮件", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Use Export in settings.", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_Toggle_StartsAndStopsTheMail()
    {
        var category = await ForumCategoryAsync();
        var author = await SignUpAsync();
        var reader = await SignUpAsync();
        var title = "Toggle " + Unique("t");
        var topic = await PostTopicAsync(author, category, title);

        var (_, followed, _) = await SubmitAsync(reader.Client, $"/portal/forum/topics/{topic}", $"/portal/forum/topics/{topic}/follow", Fields(("follow", "true")));
        await Admin.PostAsJsonAsync($"/api/v1/forum/topics/{topic}/posts", new { body = "First answer." }).ShouldBeAsync(HttpStatusCode.Created);
        var (_, unfollowed, _) = await SubmitAsync(author.Client, $"/portal/forum/topics/{topic}", $"/portal/forum/topics/{topic}/follow", Fields(("follow", "false")));
        await Admin.PostAsJsonAsync($"/api/v1/forum/topics/{topic}/posts", new { body = "Second answer." }).ShouldBeAsync(HttpStatusCode.Created);

        Assert.Contains("You follow this topic.", followed, StringComparison.Ordinal);
        Assert.Contains("Stop following", followed, StringComparison.Ordinal);
        Assert.Contains("You no longer follow this topic.", unfollowed, StringComparison.Ordinal);
        Assert.Contains("Follow this topic", unfollowed, StringComparison.Ordinal);
        Assert.Equal(2, (await ReplyMailsAsync(reader.Email, title)).Count);
        var authorMail = Assert.Single(await ReplyMailsAsync(author.Email, title));
        Assert.Contains("First answer.", authorMail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsubscribe_LinkInTheMail_WorksWithoutSigningIn()
    {
        var category = await ForumCategoryAsync();
        var author = await SignUpAsync();
        var title = "Unsubscribe " + Unique("t");
        var topic = await PostTopicAsync(author, category, title);
        await Admin.PostAsJsonAsync($"/api/v1/forum/topics/{topic}/posts", new { body = "An answer." }).ShouldBeAsync(HttpStatusCode.Created);
        var link = await LinkInMailAsync(author.Email, "/portal/forum/unsubscribe");
        var stranger = Visitor();

        var ask = await HtmlAsync(stranger, link);
        var token = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + link).Query)["token"]!;
        using var response = await stranger.PostAsync("/portal/forum/unsubscribe",
            new FormUrlEncodedContent(Fields(("token", token), ("__RequestVerificationToken", FormToken(ask)))));
        var done = await response.Content.ReadAsStringAsync();
        await Admin.PostAsJsonAsync($"/api/v1/forum/topics/{topic}/posts", new { body = "Another answer." }).ShouldBeAsync(HttpStatusCode.Created);

        Assert.Contains(title, ask, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"You will not get email about “{title}” anymore.", done, StringComparison.Ordinal);
        Assert.Single(await ReplyMailsAsync(author.Email, title));
        Assert.Contains("Follow this topic", await HtmlAsync(author.Client, $"/portal/forum/topics/{topic}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsubscribe_ForgedOrAlteredToken_DoesNotWork()
    {
        var category = await ForumCategoryAsync();
        var author = await SignUpAsync();
        var title = "Forged " + Unique("t");
        var topic = await PostTopicAsync(author, category, title);
        await Admin.PostAsJsonAsync($"/api/v1/forum/topics/{topic}/posts", new { body = "An answer." }).ShouldBeAsync(HttpStatusCode.Created);
        var link = await LinkInMailAsync(author.Email, "/portal/forum/unsubscribe");

        var forged = await HtmlAsync(Visitor(), $"/portal/forum/unsubscribe?token={topic}:1", HttpStatusCode.BadRequest);
        var altered = await HtmlAsync(Visitor(), link[..^3] + "xyz", HttpStatusCode.BadRequest);

        Assert.Contains("This unsubscribe link does not work.", forged, StringComparison.Ordinal);
        Assert.Contains("This unsubscribe link does not work.", altered, StringComparison.Ordinal);
        Assert.Contains("Stop following", await HtmlAsync(author.Client, $"/portal/forum/topics/{topic}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuggestionStatus_Changed_MailsTheAuthorAndVotersOnce()
    {
        var author = await SignUpAsync("Idea Author");
        var voter = await SignUpAsync("Voter");
        var bystander = await SignUpAsync("Bystander");
        var title = "Dark mode 深色模式 " + Unique("s");
        var (_, _, url) = await SubmitAsync(author.Client, "/portal/feedback", "/portal/feedback", Fields(("title", title), ("body", "Please.")));
        var id = url!.AbsolutePath.Split('/')[^1];
        await SubmitAsync(voter.Client, $"/portal/feedback/{id}", $"/portal/feedback/{id}/vote", Fields());

        await PatchAsync($"/api/v1/feedback/{id}", new { status = "planned" });
        await PatchAsync($"/api/v1/feedback/{id}", new { status = "planned" });

        var toAuthor = Assert.Single(await MailsToAsync(author.Email), m => m.Subject.Contains(title, StringComparison.Ordinal));
        var toVoter = Assert.Single(await MailsToAsync(voter.Email), m => m.Subject.Contains(title, StringComparison.Ordinal));
        Assert.Contains("is now Planned", toAuthor.Subject, StringComparison.Ordinal);
        Assert.Contains($"/portal/feedback/{id}", toVoter.Text, StringComparison.Ordinal);
        Assert.DoesNotContain((await MailsToAsync(bystander.Email)), m => m.Subject.Contains(title, StringComparison.Ordinal));
    }
}

public sealed class NotificationTests_Sqlite(PortalSqliteFactory factory) : NotificationTests(factory), IClassFixture<PortalSqliteFactory>;

public sealed class NotificationTests_Postgres(PortalPostgresFactory factory) : NotificationTests(factory), IClassFixture<PortalPostgresFactory>;
