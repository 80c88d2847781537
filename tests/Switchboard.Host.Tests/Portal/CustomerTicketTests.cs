using System.Net;
using System.Net.Http.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Portal;

/// <summary>A customer's own tickets in the portal: every channel, reply, reopen, rate — and nobody else's.</summary>
public abstract class CustomerTicketTests(SwitchboardFactory factory) : PortalTests(factory)
{
    private async Task<long> TicketForAsync(string email, string subject, string body = "It does not work.") =>
        (await CreateTicketAsync(TicketRequest(Unique("t"), subject, body, email))).Id();

    [Fact]
    public async Task MyTickets_ListsTheCustomersTicketsFromEveryChannel()
    {
        var customer = await SignUpAsync();
        var fromApi = await TicketForAsync(customer.Email, "Printer jammed");
        var (_, html, url) = await SubmitAsync(customer.Client, "/portal/tickets/new", "/portal/tickets/new",
            Fields(("subject", "Hindi gumagana ang app"), ("body", "Paki-tulong po.")));

        var list = await HtmlAsync(customer.Client, "/portal/tickets");

        Assert.Contains("Hindi gumagana ang app", html, StringComparison.Ordinal);
        Assert.Matches("/portal/tickets/[0-9]+$", url!.AbsolutePath);
        Assert.Contains($"/portal/tickets/{fromApi}", list, StringComparison.Ordinal);
        Assert.Contains("Printer jammed", list, StringComparison.Ordinal);
        Assert.Contains("<td>Help center</td>", list, StringComparison.Ordinal);
        Assert.Contains("<td>API</td>", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherCustomersTicket_AnswersNotFoundForEveryAction()
    {
        var owner = await SignUpAsync("Owner");
        var other = await SignUpAsync("Other");
        var ticket = await TicketForAsync(owner.Email, "Private matter " + Unique("p"));
        var token = FormToken(await HtmlAsync(other.Client, "/portal/tickets"));

        var page = await HtmlAsync(other.Client, $"/portal/tickets/{ticket}", HttpStatusCode.NotFound);
        var list = await HtmlAsync(other.Client, "/portal/tickets");
        using var reply = await other.Client.PostAsync($"/portal/tickets/{ticket}/reply",
            new FormUrlEncodedContent(Fields(("body", "Let me in"), ("__RequestVerificationToken", token))));
        using var reopen = await other.Client.PostAsync($"/portal/tickets/{ticket}/reopen",
            new FormUrlEncodedContent(Fields(("__RequestVerificationToken", token))));
        using var rate = await other.Client.PostAsync($"/portal/tickets/{ticket}/rate",
            new FormUrlEncodedContent(Fields(("rating", "bad"), ("__RequestVerificationToken", token))));

        Assert.DoesNotContain("Private matter", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Private matter", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, reopen.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, rate.StatusCode);
        Assert.Equal(1, (await GetAsync($"/api/v1/tickets/{ticket}")).GetProperty("messageCount").GetInt32());
    }

    [Fact]
    public async Task Ticket_Anonymous_IsSentToSignIn()
    {
        var html = await HtmlAsync(Visitor(), "/portal/tickets/1");

        Assert.Contains("<h1>Sign in</h1>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"/portal/tickets/1\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reply_FromThePortal_ReachesTheAgentAndReopensAnAnsweredTicket()
    {
        var customer = await SignUpAsync();
        var ticket = await TicketForAsync(customer.Email, "Refund please");
        await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket}/messages", new { body = "We are on it.", kind = "reply" }).ShouldBeAsync(HttpStatusCode.Created);
        await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket}/messages", new { body = "Secret note " + Unique("n"), kind = "note" }).ShouldBeAsync(HttpStatusCode.Created);
        await PatchAsync($"/api/v1/tickets/{ticket}", new { status = "answered" });

        var page = await HtmlAsync(customer.Client, $"/portal/tickets/{ticket}");
        var (status, after, _) = await SubmitAsync(customer.Client, $"/portal/tickets/{ticket}", $"/portal/tickets/{ticket}/reply",
            Fields(("body", "Salamat! 谢谢")));

        Assert.Contains("We are on it.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret note", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Salamat! 谢谢", after, StringComparison.Ordinal);
        var messages = await GetAsync($"/api/v1/tickets/{ticket}/messages");
        var last = messages.Items().Last();
        Assert.Equal("Salamat! 谢谢", last.Str("bodyText"));
        Assert.Equal("portal", last.Str("channel"));
        Assert.Equal("open", (await GetAsync($"/api/v1/tickets/{ticket}")).Str("status"));
    }

    [Fact]
    public async Task ResolvedTicket_CanBeReopenedAndRated()
    {
        var customer = await SignUpAsync();
        var ticket = await TicketForAsync(customer.Email, "Login trouble");
        await PatchAsync($"/api/v1/tickets/{ticket}", new { status = "resolved" });

        var (_, reopened, _) = await SubmitAsync(customer.Client, $"/portal/tickets/{ticket}", $"/portal/tickets/{ticket}/reopen", []);
        var statusAfterReopen = (await GetAsync($"/api/v1/tickets/{ticket}")).Str("status");
        await PatchAsync($"/api/v1/tickets/{ticket}", new { status = "resolved" });
        var (rateStatus, rated, _) = await SubmitAsync(customer.Client, $"/portal/tickets/{ticket}", $"/portal/tickets/{ticket}/rate",
            Fields(("rating", "good"), ("comment", "Mabilis! Fast help.")));

        Assert.Contains("The ticket is open again", reopened, StringComparison.Ordinal);
        Assert.Equal("open", statusAfterReopen);
        Assert.Equal(HttpStatusCode.OK, rateStatus);
        Assert.Contains("<strong class=\"rating\" data-rating=\"good\">Good</strong>", rated, StringComparison.Ordinal);
        var events = await GetAsync($"/api/v1/tickets/{ticket}/events");
        Assert.Contains(events.Items(), e => e.Str("type") == "rating_changed" && e.GetProperty("newValue").GetString() == "good" && e.Str("actorType") == "contact");
        Assert.Contains(events.Items(), e => e.Str("type") == "status_changed" && e.GetProperty("newValue").GetString() == "open" && e.Str("actorType") == "contact");
    }

    [Fact]
    public async Task Rate_OpenTicket_IsRefusedWithAReason()
    {
        var customer = await SignUpAsync();
        var ticket = await TicketForAsync(customer.Email, "Still open");
        var token = FormToken(await HtmlAsync(customer.Client, $"/portal/tickets/{ticket}"));

        using var response = await customer.Client.PostAsync($"/portal/tickets/{ticket}/rate",
            new FormUrlEncodedContent(Fields(("rating", "good"), ("__RequestVerificationToken", token))));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("once it is resolved", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class CustomerTicketTests_Sqlite(PortalSqliteFactory factory) : CustomerTicketTests(factory), IClassFixture<PortalSqliteFactory>;

public sealed class CustomerTicketTests_Postgres(PortalPostgresFactory factory) : CustomerTicketTests(factory), IClassFixture<PortalPostgresFactory>;
