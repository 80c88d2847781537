using System.Net;
using System.Net.Http.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Workspace;

/// <summary>What the workspace adds to the API (canned responses) and its sign-in cookie next to bearer tokens.</summary>
public abstract class WorkspaceApiTests(SwitchboardFactory factory) : ApiTests(factory)
{
    [Fact]
    public async Task CannedResponses_PersonalAndShared_EachAgentSeesOnlyTheirsAndTheirDepartments()
    {
        var sales = await DepartmentIdAsync("Sales support");
        var technical = await DepartmentIdAsync("Technical support");
        var salesOnly = Unique("Sales hello ");
        var everyone = Unique("Everyone hello ");
        var technicalOnly = Unique("Tech hello ");
        await Admin.PostAsJsonAsync("/api/v1/canned-responses", new { title = salesOnly, body = "Hi from sales", departmentId = sales }).ShouldBeAsync(HttpStatusCode.Created);
        await Admin.PostAsJsonAsync("/api/v1/canned-responses", new { title = everyone, body = "Hi all" }).ShouldBeAsync(HttpStatusCode.Created);
        await Admin.PostAsJsonAsync("/api/v1/canned-responses", new { title = technicalOnly, body = "Hi from tech", departmentId = technical }).ShouldBeAsync(HttpStatusCode.Created);
        var agent = await CreateAgentAsync([sales]);
        var mine = Unique("My sign-off ");
        var personal = await agent.Client.PostAsJsonAsync("/api/v1/canned-responses", new { title = mine, body = "Cheers", personal = true }).ShouldBeAsync(HttpStatusCode.Created);

        var seen = (await GetAsync("/api/v1/canned-responses", agent.Client)).Items().Select(c => c.Str("title")).ToList();
        var adminSeen = (await GetAsync("/api/v1/canned-responses")).Items().Select(c => c.Str("title")).ToList();

        Assert.Contains(salesOnly, seen);
        Assert.Contains(everyone, seen);
        Assert.Contains(mine, seen);
        Assert.DoesNotContain(technicalOnly, seen);
        Assert.DoesNotContain(mine, adminSeen);
        await Admin.GetAsync($"/api/v1/canned-responses/{personal.Id()}").ShouldBeAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CannedResponses_AgentSharingOrChangingShared_IsRefused()
    {
        var agent = await CreateAgentAsync();
        var shared = await Admin.PostAsJsonAsync("/api/v1/canned-responses", new { title = Unique("Shared "), body = "Hello" }).ShouldBeAsync(HttpStatusCode.Created);

        var share = await agent.Client.PostAsJsonAsync("/api/v1/canned-responses", new { title = "Mine for all", body = "Hello" }).ShouldBeAsync(HttpStatusCode.Forbidden);
        var change = await agent.Client.PutAsJsonAsync($"/api/v1/canned-responses/{shared.Id()}", new { body = "Changed" }).ShouldBeAsync(HttpStatusCode.Forbidden);
        var empty = await agent.Client.PostAsJsonAsync("/api/v1/canned-responses", new { title = "", body = "x", personal = true }).ShouldBeAsync(HttpStatusCode.BadRequest);

        Assert.Contains("personal", share.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("administrators", change.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("title", empty.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("Hello", (await GetAsync($"/api/v1/canned-responses/{shared.Id()}")).Str("body"));
    }

    [Fact]
    public async Task CannedResponses_Render_FillsTheTicketsPlaceholdersInAnyScript()
    {
        var ticket = await CreateTicketAsync(TicketRequest(Unique("canned"), subject: "退款申请", name: "李 小龙"));
        var response = await Admin.PostAsJsonAsync("/api/v1/canned-responses",
            new { title = Unique("Refund "), body = "您好 {{customer.name}}, 工单 #{{ticket.number}} ({{ticket.subject}}) — {{agent.name}} {{unknown.thing}}" })
            .ShouldBeAsync(HttpStatusCode.Created);

        var rendered = await Admin.PostAsJsonAsync($"/api/v1/canned-responses/{response.Id()}/render", new { ticketId = ticket.Id() }).ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal($"您好 李 小龙, 工单 #{ticket.Id()} (退款申请) — {SwitchboardFactory.AdminName} {{{{unknown.thing}}}}", rendered.Str("body"));
    }

    [Fact]
    public async Task CannedResponses_RenderForATicketOfAnotherDepartment_IsNotFound()
    {
        var technical = await DepartmentIdAsync("Technical support");
        var sales = await DepartmentIdAsync("Sales support");
        var request = TicketRequest(Unique("hidden"));
        request["departmentId"] = technical;
        var ticket = await CreateTicketAsync(request);
        var agent = await CreateAgentAsync([sales]);
        var mine = await agent.Client.PostAsJsonAsync("/api/v1/canned-responses", new { title = Unique("Probe "), body = "{{customer.email}}", personal = true })
            .ShouldBeAsync(HttpStatusCode.Created);

        await agent.Client.PostAsJsonAsync($"/api/v1/canned-responses/{mine.Id()}/render", new { ticketId = ticket.Id() }).ShouldBeAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Api_WithoutToken_AnswersUnauthorizedNotARedirect()
    {
        var response = await Factory.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/api/v1/tickets");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Workspace_WithoutSession_RedirectsToSignIn()
    {
        var response = await Factory.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/tickets/1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin", response.Headers.Location!.AbsolutePath);
        Assert.Contains("returnUrl=%2Ftickets%2F1", response.Headers.Location.Query, StringComparison.Ordinal);
    }
}

public sealed class WorkspaceApiTests_Sqlite(SqliteFactory factory) : WorkspaceApiTests(factory), IClassFixture<SqliteFactory>;

public sealed class WorkspaceApiTests_Postgres(PostgresFactory factory) : WorkspaceApiTests(factory), IClassFixture<PostgresFactory>;
