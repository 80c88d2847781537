using System.Net;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Portal;

/// <summary>The customer's profile: name and language, password change, email change with verification, identities.</summary>
public abstract class ProfileTests(SwitchboardFactory factory) : PortalTests(factory)
{
    private static Task<(HttpStatusCode Status, string Html, Uri? Url)> PostProfileAsync(HttpClient client, string action, Dictionary<string, string> fields) =>
        SubmitAsync(client, "/portal/profile", action, fields);

    private static async Task<(HttpStatusCode Status, string Html)> SignInAsync(HttpClient client, string email, string password)
    {
        var (status, html, _) = await SubmitAsync(client, "/portal/signin", "/portal/signin", Fields(("email", email), ("password", password)));
        return (status, html);
    }

    [Fact]
    public async Task Profile_SavedNameAndLanguage_ShowOnEveryPageAndOnTheContact()
    {
        var customer = await SignUpAsync("Juan dela Cruz");

        var (status, html, _) = await PostProfileAsync(customer.Client, "/portal/profile", Fields(("name", "Juan Dela Cruz 胡安"), ("language", "zh-Hans")));
        var tickets = await HtmlAsync(customer.Client, "/portal/tickets");
        var contacts = await GetAsync("/api/v1/contacts?q=" + Uri.EscapeDataString(customer.Email));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("您的个人资料已保存。", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Juan Dela Cruz 胡安\"", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"zh-Hans\">", tickets, StringComparison.Ordinal);
        Assert.Contains("<h1>我的工单</h1>", tickets, StringComparison.Ordinal);
        Assert.Contains(contacts.Items(), c => c.Str("name") == "Juan Dela Cruz 胡安");
    }

    [Fact]
    public async Task Profile_PreferredLanguage_IsTheLanguageOfTheMailTheCustomerGets()
    {
        var customer = await SignUpAsync("Maria Santos");
        await PostProfileAsync(customer.Client, "/portal/profile", Fields(("name", "Maria Santos"), ("language", "fil")));

        await SubmitAsync(Visitor(), "/portal/forgot", "/portal/forgot", Fields(("email", customer.Email)));

        var mail = (await MailsToAsync(customer.Email))[0];
        Assert.Contains("i-reset ang iyong password", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Pumili ng bagong password dito", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_EmptyNameOrUnknownLanguage_ExplainsAndKeepsTheInput()
    {
        var customer = await SignUpAsync("Wen Li");

        var (status, html, _) = await PostProfileAsync(customer.Client, "/portal/profile", Fields(("name", "Wen Li 李文"), ("language", "klingon")));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Choose one of the languages offered.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Wen Li 李文\"", html, StringComparison.Ordinal);
        Assert.Contains("Wen Li", await HtmlAsync(customer.Client, "/portal/profile"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePassword_WithTheCurrentPassword_ChangesItAndEndsOtherSessions()
    {
        var customer = await SignUpAsync();
        var other = Visitor();
        await SignInAsync(other, customer.Email, Password);

        var (status, html, _) = await PostProfileAsync(customer.Client, "/portal/profile/password",
            Fields(("currentPassword", Password), ("newPassword", "a brand new password 2")));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Your password is changed; other sessions were signed out.", html, StringComparison.Ordinal);
        Assert.Contains(customer.Name, await HtmlAsync(customer.Client, "/portal/profile"), StringComparison.Ordinal);
        Assert.Contains("<h1>Sign in</h1>", await HtmlAsync(other, "/portal/profile"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await SignInAsync(Visitor(), customer.Email, Password)).Status);
        Assert.Contains("My tickets", (await SignInAsync(Visitor(), customer.Email, "a brand new password 2")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_IsRefusedAndKeepsTheOldOne()
    {
        var customer = await SignUpAsync();

        var (status, html, _) = await PostProfileAsync(customer.Client, "/portal/profile/password",
            Fields(("currentPassword", "not my password"), ("newPassword", "a brand new password 2")));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("The current password is not right.", html, StringComparison.Ordinal);
        Assert.Contains("My tickets", (await SignInAsync(Visitor(), customer.Email, Password)).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeEmail_AfterOpeningTheLinkSentToTheNewAddress_SignsInWithIt()
    {
        var customer = await SignUpAsync("Ana Cruz");
        var newEmail = UniqueEmail("moved");

        var (status, html, _) = await PostProfileAsync(customer.Client, "/portal/profile/email", Fields(("newEmail", newEmail), ("currentPassword", Password)));
        var before = await HtmlAsync(customer.Client, "/portal/profile");
        var link = await LinkInMailAsync(newEmail, "/portal/profile/email/confirm");
        var confirmed = await HtmlAsync(Visitor(), link);
        var again = await HtmlAsync(Visitor(), link, HttpStatusCode.BadRequest);
        var profile = await HtmlAsync(customer.Client, "/portal/profile");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"We sent a link to {newEmail}.", html, StringComparison.Ordinal);
        Assert.Contains($"<strong class=\"email\">{customer.Email}</strong>", before, StringComparison.Ordinal);
        Assert.Contains($"Your email address is now {newEmail}.", confirmed, StringComparison.Ordinal);
        Assert.Contains("This link does not work", again, StringComparison.Ordinal);
        Assert.Contains($"<strong class=\"email\">{newEmail}</strong>", profile, StringComparison.Ordinal);
        Assert.Contains(newEmail, profile, StringComparison.Ordinal);
        Assert.Contains(customer.Email, profile, StringComparison.Ordinal);
        Assert.Contains("My tickets", (await SignInAsync(Visitor(), newEmail, Password)).Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await SignInAsync(Visitor(), customer.Email, Password)).Status);
        Assert.Contains(newEmail, (await MailsToAsync(customer.Email))[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeEmail_ToAnotherAccountsAddress_SendsNoLinkAndSaysTheSame()
    {
        var customer = await SignUpAsync();
        var other = await SignUpAsync();
        var mailsBefore = (await MailsToAsync(other.Email)).Count;

        var (status, html, _) = await PostProfileAsync(customer.Client, "/portal/profile/email", Fields(("newEmail", other.Email), ("currentPassword", Password)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"We sent a link to {other.Email}.", html, StringComparison.Ordinal);
        Assert.Equal(mailsBefore, (await MailsToAsync(other.Email)).Count);
    }

    [Fact]
    public async Task ChangeEmail_WrongPasswordOrBadAddress_IsRefused()
    {
        var customer = await SignUpAsync();
        var newEmail = UniqueEmail("nope");

        var wrong = await PostProfileAsync(customer.Client, "/portal/profile/email", Fields(("newEmail", newEmail), ("currentPassword", "guess")));
        var bad = await PostProfileAsync(customer.Client, "/portal/profile/email", Fields(("newEmail", "not an address"), ("currentPassword", Password)));

        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Contains("The current password is not right.", wrong.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("is not a valid email address.", bad.Html, StringComparison.Ordinal);
        Assert.Empty(await MailsToAsync(newEmail));
    }

    [Fact]
    public async Task ConfirmEmail_TamperedLink_DoesNotWork()
    {
        var customer = await SignUpAsync();
        var newEmail = UniqueEmail("tamper");
        await PostProfileAsync(customer.Client, "/portal/profile/email", Fields(("newEmail", newEmail), ("currentPassword", Password)));
        var link = await LinkInMailAsync(newEmail, "/portal/profile/email/confirm");

        var html = await HtmlAsync(Visitor(), link[..^4] + "AAAA", HttpStatusCode.BadRequest);

        Assert.Contains("This link does not work", html, StringComparison.Ordinal);
        Assert.Contains($"<strong class=\"email\">{customer.Email}</strong>", await HtmlAsync(customer.Client, "/portal/profile"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_Anonymous_IsSentToSignInAndChangesNothing()
    {
        var visitor = Visitor();
        var token = FormToken(await HtmlAsync(visitor, "/portal/signin"));

        var page = await HtmlAsync(visitor, "/portal/profile");
        using var response = await visitor.PostAsync("/portal/profile/password",
            new FormUrlEncodedContent(Fields(("currentPassword", "x"), ("newPassword", "a brand new password 2"), ("__RequestVerificationToken", token))));

        Assert.Contains("<h1>Sign in</h1>", page, StringComparison.Ordinal);
        Assert.Contains("<h1>Sign in</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_PostWithoutAntiforgeryToken_IsRefused()
    {
        var customer = await SignUpAsync("Kept Name");

        using var response = await customer.Client.PostAsync("/portal/profile", new FormUrlEncodedContent(Fields(("name", "Forged"), ("language", "en"))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("value=\"Kept Name\"", await HtmlAsync(customer.Client, "/portal/profile"), StringComparison.Ordinal);
    }
}

public sealed class ProfileTests_Sqlite(PortalSqliteFactory factory) : ProfileTests(factory), IClassFixture<PortalSqliteFactory>;

public sealed class ProfileTests_Postgres(PortalPostgresFactory factory) : ProfileTests(factory), IClassFixture<PortalPostgresFactory>;
