using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Data;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Portal;

/// <summary>
/// Base of the portal's tests: a browser-like client (cookies, redirects) that reads the antiforgery
/// token from each page and posts forms the way a browser does, and readers of the mail the portal
/// queues (the outbox worker does not run in tests).
/// </summary>
public abstract partial class PortalTests(SwitchboardFactory factory) : ApiTests(factory)
{
    protected const string Password = "a long portal password";

    /// <summary>A new visitor: its own cookie jar, following redirects.</summary>
    protected HttpClient Visitor() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true, HandleCookies = true });

    protected static async Task<string> HtmlAsync(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {path} answered {(int)response.StatusCode}, expected {(int)expected}: {html[..Math.Min(html.Length, 2000)]}");
        return html;
    }

    protected static string FormToken(string html)
    {
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, "The page has no antiforgery token: " + html[..Math.Min(html.Length, 500)]);
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Opens <paramref name="page"/> for its form token, then posts <paramref name="fields"/> to <paramref name="action"/>.</summary>
    protected static async Task<(HttpStatusCode Status, string Html, Uri? Url)> SubmitAsync(
        HttpClient client, string page, string action, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var token = FormToken(await HtmlAsync(client, page));
        var all = fields.Append(new("__RequestVerificationToken", token)).ToList();
        using var response = await client.PostAsync(action, new FormUrlEncodedContent(all));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.RequestMessage?.RequestUri);
    }

    protected static Dictionary<string, string> Fields(params (string Name, string Value)[] fields) => fields.ToDictionary(f => f.Name, f => f.Value);

    /// <summary>Mail the portal queued for an address, newest first.</summary>
    protected async Task<List<(string Subject, string Text)>> MailsToAsync(string address)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var mails = await db.OutboundMails.AsNoTracking().Where(m => m.ToAddresses == address).OrderByDescending(m => m.Id)
            .Select(m => new { m.Subject, m.BodyText }).ToListAsync();
        return mails.Select(m => (m.Subject, m.BodyText)).ToList();
    }

    /// <summary>The path and query of the first portal link in the newest mail to <paramref name="address"/>.</summary>
    protected async Task<string> LinkInMailAsync(string address, string pathPart)
    {
        var mail = (await MailsToAsync(address)).FirstOrDefault();
        Assert.False(mail == default, $"No mail was queued for {address}.");
        var link = LinkPattern().Matches(mail.Text).Select(m => new Uri(m.Value)).FirstOrDefault(u => u.AbsolutePath.Contains(pathPart, StringComparison.Ordinal));
        Assert.True(link is not null, $"The mail has no {pathPart} link: {mail.Text}");
        Assert.StartsWith(Factory.PublicUrl, link.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal);
        return link.PathAndQuery;
    }

    /// <summary>System mail needs a mailbox that can send; one is made per host.</summary>
    protected async Task EnsureMailboxAsync()
    {
        var boxes = await GetAsync("/api/v1/mailboxes");
        if (boxes.Items().Any()) return;
        var created = await Admin.PostAsJsonAsync("/api/v1/mailboxes", new
        {
            address = "help@portal.test",
            name = "Help",
            inbound = new { type = "smtp" },
            outbound = new { host = "127.0.0.1", port = 2525, security = "none" },
        });
        if (created.StatusCode != HttpStatusCode.Conflict) await created.ShouldBeAsync(HttpStatusCode.Created);
    }

    /// <summary>Signs a new customer up through the pages and follows the verification link; the client is signed in.</summary>
    protected async Task<Customer> SignUpAsync(string name = "Casey Customer", string? email = null)
    {
        await EnsureMailboxAsync();
        email ??= UniqueEmail("portal");
        var client = Visitor();
        var (status, html, _) = await SubmitAsync(client, "/portal/signup", "/portal/signup",
            Fields(("name", name), ("email", email), ("password", Password)));
        Assert.True(status == HttpStatusCode.OK, html);
        Assert.Contains("Check your email", html, StringComparison.Ordinal);
        var verify = await LinkInMailAsync(email, "/portal/verify");
        var tickets = await HtmlAsync(client, verify);
        Assert.Contains("My tickets", tickets, StringComparison.Ordinal);
        Assert.True(tickets.Contains(name, StringComparison.Ordinal), tickets);
        return new Customer(client, email, name);
    }

    protected sealed record Customer(HttpClient Client, string Email, string Name);

    /// <summary>A public category and a published article in it, made through the API.</summary>
    protected async Task<(long CategoryId, JsonElement Article)> PublishArticleAsync(
        string title, string body, string language = "en", string status = "published", string audience = "public", string? description = null)
    {
        var category = await Admin.PostAsJsonAsync("/api/v1/kb/categories", new { name = Unique("Topic "), audience }).ShouldBeAsync(HttpStatusCode.Created);
        var article = await Admin.PostAsJsonAsync("/api/v1/kb/articles", new { categoryId = category.Id(), language, title, body, status, description })
            .ShouldBeAsync(HttpStatusCode.Created);
        return (category.Id(), article);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"https?://[^\s]+")]
    private static partial Regex LinkPattern();
}
