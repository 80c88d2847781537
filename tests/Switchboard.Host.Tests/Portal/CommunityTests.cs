using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Portal;

/// <summary>The forum (posting, moderation, topic to ticket, answer to article) and feedback with votes and statuses.</summary>
public abstract class CommunityTests(SwitchboardFactory factory) : PortalTests(factory)
{
    private async Task<JsonElement> ForumCategoryAsync() =>
        await Admin.PostAsJsonAsync("/api/v1/forum/categories", new { name = Unique("General "), description = "Anything goes" }).ShouldBeAsync(HttpStatusCode.Created);

    private static async Task<long> PostTopicAsync(Customer customer, JsonElement category, string title, string body)
    {
        var slug = category.Str("slug");
        var (status, html, url) = await SubmitAsync(customer.Client, $"/portal/forum/{slug}", $"/portal/forum/{slug}/topics", Fields(("title", title), ("body", body)));
        Assert.True(status == HttpStatusCode.OK, html);
        return long.Parse(url!.AbsolutePath.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Forum_AnonymousReads_CustomerPostsAndReplies()
    {
        var category = await ForumCategoryAsync();
        var customer = await SignUpAsync("Ana Reyes");
        var anonymous = await HtmlAsync(Visitor(), $"/portal/forum/{category.Str("slug")}");

        var topic = await PostTopicAsync(customer, category, "Paano mag-export? 如何导出", "I need a CSV <b>export</b>.");
        var (_, page, _) = await SubmitAsync(customer.Client, $"/portal/forum/topics/{topic}", $"/portal/forum/topics/{topic}/replies", Fields(("body", "Found it, thanks!")));
        var read = await HtmlAsync(Visitor(), $"/portal/forum/topics/{topic}");

        Assert.Contains("Sign in</a> to post.", anonymous, StringComparison.Ordinal);
        Assert.Contains("<h1>Paano mag-export? 如何导出</h1>", page, StringComparison.Ordinal);
        Assert.Contains("I need a CSV &lt;b&gt;export&lt;/b&gt;.", read, StringComparison.Ordinal);
        Assert.Contains("Found it, thanks!", read, StringComparison.Ordinal);
        Assert.Contains("Ana Reyes", read, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forum_PostingAnonymously_IsSentToSignIn()
    {
        var category = await ForumCategoryAsync();
        var visitor = Visitor();
        var token = FormToken(await HtmlAsync(visitor, "/portal/signin"));

        using var response = await visitor.PostAsync($"/portal/forum/{category.Str("slug")}/topics",
            new FormUrlEncodedContent(Fields(("title", "Spam"), ("body", "Buy now"), ("__RequestVerificationToken", token))));

        Assert.Contains("<h1>Sign in</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await GetAsync($"/api/v1/forum/topics?categoryId={category.Id()}")).Items());
    }

    [Fact]
    public async Task Moderation_HideLockPinAndSpam_AreHonoured()
    {
        var category = await ForumCategoryAsync();
        var customer = await SignUpAsync();
        var hidden = await PostTopicAsync(customer, category, "Hide me", "Body");
        var locked = await PostTopicAsync(customer, category, "Lock me", "Body");
        var pinned = await PostTopicAsync(customer, category, "Pin me", "Body");

        await PatchAsync($"/api/v1/forum/topics/{hidden}", new { isHidden = true });
        await PatchAsync($"/api/v1/forum/topics/{locked}", new { isLocked = true });
        await PatchAsync($"/api/v1/forum/topics/{pinned}", new { isPinned = true });
        var spamPost = (await GetAsync($"/api/v1/forum/topics/{locked}/posts")).Items().First().Id();
        await PatchAsync($"/api/v1/forum/posts/{spamPost}", new { isSpam = true });

        var list = await HtmlAsync(Visitor(), $"/portal/forum/{category.Str("slug")}");
        await HtmlAsync(Visitor(), $"/portal/forum/topics/{hidden}", HttpStatusCode.NotFound);
        var lockedPage = await HtmlAsync(customer.Client, $"/portal/forum/topics/{locked}");

        Assert.DoesNotContain("Hide me", list, StringComparison.Ordinal);
        Assert.True(list.IndexOf("Pin me", StringComparison.Ordinal) < list.IndexOf("Lock me", StringComparison.Ordinal), "A pinned topic comes first.");
        Assert.Contains("This topic is locked", lockedPage, StringComparison.Ordinal);
        Assert.DoesNotContain("<article class=\"card post\"", lockedPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopicToTicket_ShowsInTheAuthorsTicketsOnce()
    {
        var category = await ForumCategoryAsync();
        var customer = await SignUpAsync();
        var topic = await PostTopicAsync(customer, category, "My invoice is wrong", "Charged twice.");

        await Admin.PostAsJsonAsync($"/api/v1/forum/topics/{topic}/ticket", new { }).ShouldBeAsync(HttpStatusCode.Created);
        var again = await Admin.PostAsJsonAsync($"/api/v1/forum/topics/{topic}/ticket", new { }).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        var ticketId = (await GetAsync($"/api/v1/forum/topics/{topic}")).GetProperty("ticketId").GetInt64();
        Assert.Contains("My invoice is wrong", await HtmlAsync(customer.Client, "/portal/tickets"), StringComparison.Ordinal);
        Assert.Contains("Charged twice.", (await GetAsync($"/api/v1/tickets/{ticketId}/messages")).Items().First().Str("bodyText"), StringComparison.Ordinal);
        Assert.Contains($"#{ticketId}", again.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswerToArticle_CreatesADraftInTheChosenCategory()
    {
        var category = await ForumCategoryAsync();
        var customer = await SignUpAsync();
        var topic = await PostTopicAsync(customer, category, "How do I change my plan?", "Where is it?");
        var answer = await Admin.PostAsJsonAsync($"/api/v1/forum/topics/{topic}/posts", new { body = "Go to **Billing** and choose a plan." }).ShouldBeAsync(HttpStatusCode.Created);
        var kbCategory = await Admin.PostAsJsonAsync("/api/v1/kb/categories", new { name = Unique("Billing ") }).ShouldBeAsync(HttpStatusCode.Created);

        var article = await Admin.PostAsJsonAsync($"/api/v1/forum/posts/{answer.Id()}/article", new { categoryId = kbCategory.Id() }).ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal("draft", article.Str("status"));
        var version = Assert.Single(article.GetProperty("translations").EnumerateArray());
        Assert.Equal("How do I change my plan?", version.Str("title"));
        Assert.Contains("Go to Billing and choose a plan.", version.Str("bodyMarkdown"), StringComparison.Ordinal);
        Assert.Contains("(staff)", await HtmlAsync(Visitor(), $"/portal/forum/topics/{topic}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_OneVotePerAccount_CommentsAndAgentStatus()
    {
        var author = await SignUpAsync("Idea Person");
        var voter = await SignUpAsync("Voter");
        var title = "Dark mode " + Unique("d");
        var (_, created, url) = await SubmitAsync(author.Client, "/portal/feedback", "/portal/feedback", Fields(("title", title), ("body", "Please add it.")));
        var id = long.Parse(url!.AbsolutePath.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);

        var first = await SubmitAsync(voter.Client, $"/portal/feedback/{id}", $"/portal/feedback/{id}/vote", []);
        var second = await SubmitAsync(voter.Client, $"/portal/feedback/{id}", $"/portal/feedback/{id}/vote", []);
        await SubmitAsync(voter.Client, $"/portal/feedback/{id}", $"/portal/feedback/{id}/comments", Fields(("body", "Yes please! 好主意")));
        await PatchAsync($"/api/v1/feedback/{id}", new { status = "planned" });
        var page = await HtmlAsync(Visitor(), $"/portal/feedback/{id}");

        Assert.Contains(title, created, StringComparison.Ordinal);
        Assert.Contains("Thank you for your vote.", first.Html, StringComparison.Ordinal);
        Assert.Contains("You have already voted for this.", second.Html, StringComparison.Ordinal);
        var api = await GetAsync($"/api/v1/feedback/{id}");
        Assert.Equal(1, api.GetProperty("voteCount").GetInt32());
        Assert.Equal("planned", api.Str("status"));
        Assert.Contains("<span class=\"tag status\">Planned</span>", page, StringComparison.Ordinal);
        Assert.Contains("Yes please! 好主意", page, StringComparison.Ordinal);
        Assert.Contains("<strong class=\"votes\">1</strong>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_UnknownStatus_IsRefusedWithTheChoices()
    {
        var author = await SignUpAsync();
        var (_, _, url) = await SubmitAsync(author.Client, "/portal/feedback", "/portal/feedback", Fields(("title", "Idea " + Unique("i")), ("body", "")));
        var id = url!.AbsolutePath.Split('/')[^1];

        var problem = await Admin.PatchAsJsonAsync($"/api/v1/feedback/{id}", new { status = "maybe" }).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("under_review", problem.Detail(), StringComparison.Ordinal);
    }
}

public sealed class CommunityTests_Sqlite(PortalSqliteFactory factory) : CommunityTests(factory), IClassFixture<PortalSqliteFactory>;

public sealed class CommunityTests_Postgres(PortalPostgresFactory factory) : CommunityTests(factory), IClassFixture<PortalPostgresFactory>;
