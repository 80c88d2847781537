using System.Net;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Portal;

/// <summary>Customer accounts: sign-up with verification, sign-in with lockout, password reset, and the wall between customer and agent sign-ins.</summary>
public abstract class CustomerAccountTests(SwitchboardFactory factory) : PortalTests(factory)
{
    private static async Task<(HttpStatusCode Status, string Html, Uri? Url)> SignInAsync(HttpClient client, string email, string password) =>
        await SubmitAsync(client, "/portal/signin", "/portal/signin", Fields(("email", email), ("password", password)));

    [Fact]
    public async Task SignUp_FollowingTheMailedLink_VerifiesAndSignsIn()
    {
        var customer = await SignUpAsync("Maria Dela Cruz");

        var page = await HtmlAsync(customer.Client, "/portal/tickets");

        Assert.Contains("Maria Dela Cruz", page, StringComparison.Ordinal);
        Assert.Contains("Sign out", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_BeforeVerifying_IsRefusedAndSendsANewLink()
    {
        await EnsureMailboxAsync();
        var email = UniqueEmail("unverified");
        await SubmitAsync(Visitor(), "/portal/signup", "/portal/signup", Fields(("name", "Lee"), ("email", email), ("password", Password)));

        var (status, html, _) = await SignInAsync(Visitor(), email, Password);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("confirm your email address first", html, StringComparison.Ordinal);
        Assert.Equal(2, (await MailsToAsync(email)).Count);
    }

    [Fact]
    public async Task SignUp_WithAnAddressThatHasAnAccount_AnswersTheSameAndKeepsThePassword()
    {
        var customer = await SignUpAsync();

        var (status, html, _) = await SubmitAsync(Visitor(), "/portal/signup", "/portal/signup",
            Fields(("name", "Intruder"), ("email", customer.Email), ("password", "another password 123")));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Check your email", html, StringComparison.Ordinal);
        Assert.Contains("already has one", (await MailsToAsync(customer.Email))[0].Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await SignInAsync(Visitor(), customer.Email, "another password 123")).Status);
        Assert.Contains("My tickets", (await SignInAsync(Visitor(), customer.Email, Password)).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignUp_InvalidEmailOrShortPassword_ShowsTheProblemAndKeepsTheInput()
    {
        var (status, html, _) = await SubmitAsync(Visitor(), "/portal/signup", "/portal/signup",
            Fields(("name", "Wen Li 李文"), ("email", "not an address"), ("password", Password)));
        var (shortStatus, shortHtml, _) = await SubmitAsync(Visitor(), "/portal/signup", "/portal/signup",
            Fields(("name", "Wen Li 李文"), ("email", UniqueEmail()), ("password", "short")));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("is not a valid email address", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Wen Li 李文\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, shortStatus);
        Assert.Contains("The password must have 10 to 200 characters.", shortHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksTheAccountForAWhile()
    {
        var customer = await SignUpAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await SignInAsync(Visitor(), customer.Email, "wrong password " + i)).Status);
        }

        var locked = await SignInAsync(Visitor(), customer.Email, Password);
        Factory.Clock.Advance(TimeSpan.FromMinutes(16));
        var later = await SignInAsync(Visitor(), customer.Email, Password);

        Assert.Equal(HttpStatusCode.Locked, locked.Status);
        Assert.Contains("Too many failed attempts", locked.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, later.Status);
        Assert.EndsWith("/portal/tickets", later.Url!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_UnknownAddress_AnswersLikeAWrongPassword()
    {
        var (status, html, _) = await SignInAsync(Visitor(), UniqueEmail("nobody"), Password);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("The email address or password is not right.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordReset_LinkWorksOnceAndEndsOtherSessions()
    {
        var customer = await SignUpAsync();
        var visitor = Visitor();
        await SubmitAsync(visitor, "/portal/forgot", "/portal/forgot", Fields(("email", customer.Email)));
        var link = await LinkInMailAsync(customer.Email, "/portal/reset");
        var token = Uri.UnescapeDataString(link.Split("token=")[1]);

        var (status, html, _) = await SubmitAsync(visitor, link, "/portal/reset", Fields(("token", token), ("password", "a brand new password")));
        var again = await SubmitAsync(Visitor(), "/portal/forgot", "/portal/reset", Fields(("token", token), ("password", "yet another password")));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Your password is changed", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Contains("expired or was already used", again.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await SignInAsync(Visitor(), customer.Email, Password)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(Visitor(), customer.Email, "a brand new password")).Status);
        // The session opened before the reset is over.
        var old = await HtmlAsync(customer.Client, "/portal/tickets");
        Assert.Contains("<h1>Sign in</h1>", old, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordReset_UnknownAddress_AnswersTheSameAndSendsNothing()
    {
        var customer = await SignUpAsync();
        var unknown = UniqueEmail("ghost");

        var known = await SubmitAsync(Visitor(), "/portal/forgot", "/portal/forgot", Fields(("email", customer.Email)));
        var stranger = await SubmitAsync(Visitor(), "/portal/forgot", "/portal/forgot", Fields(("email", unknown)));

        Assert.Equal(known.Status, stranger.Status);
        Assert.Equal(MainPart(known.Html), MainPart(stranger.Html));
        Assert.Empty(await MailsToAsync(unknown));
    }

    private static string MainPart(string html) => html[html.IndexOf("<main>", StringComparison.Ordinal)..html.IndexOf("</main>", StringComparison.Ordinal)];

    [Fact]
    public async Task PasswordReset_LinkOlderThanAnHour_NoLongerWorks()
    {
        var customer = await SignUpAsync();
        await SubmitAsync(Visitor(), "/portal/forgot", "/portal/forgot", Fields(("email", customer.Email)));
        var link = await LinkInMailAsync(customer.Email, "/portal/reset");

        Factory.Clock.Advance(TimeSpan.FromMinutes(61));

        var html = await HtmlAsync(Visitor(), link, HttpStatusCode.BadRequest);
        Assert.Contains("expired or was already used", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerSession_IsNotAcceptedByTheAgentApi()
    {
        var customer = await SignUpAsync();

        await customer.Client.GetAsync("/api/v1/tickets").ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await customer.Client.GetAsync("/api/v1/kb/search-misses").ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AgentToken_IsNotACustomerSignIn()
    {
        var client = Visitor();
        client.DefaultRequestHeaders.Authorization = Admin.DefaultRequestHeaders.Authorization;

        var html = await HtmlAsync(client, "/portal/tickets");

        Assert.Contains("<h1>Sign in</h1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var customer = await SignUpAsync();

        await SubmitAsync(customer.Client, "/portal/tickets", "/portal/signout", []);

        Assert.Contains("<h1>Sign in</h1>", await HtmlAsync(customer.Client, "/portal/tickets"), StringComparison.Ordinal);
    }
}

public sealed class CustomerAccountTests_Sqlite(PortalSqliteFactory factory) : CustomerAccountTests(factory), IClassFixture<PortalSqliteFactory>;

public sealed class CustomerAccountTests_Postgres(PortalPostgresFactory factory) : CustomerAccountTests(factory), IClassFixture<PortalPostgresFactory>;
