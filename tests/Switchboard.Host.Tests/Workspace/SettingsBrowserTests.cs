using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Switchboard.Host.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Switchboard.Host.Tests.Workspace.WorkspaceBrowser;

namespace Switchboard.Host.Tests.Workspace;

/// <summary>Settings an administrator edits: departments with their members, mailboxes, agents' capacities and skills.</summary>
public sealed class SettingsBrowserTests(SqliteBrowserHost host) : IClassFixture<SqliteBrowserHost>
{
    [Fact]
    public async Task Departments_EditNameModeAndMembers_TheTableAndTheMembersChange()
    {
        var name = Unique("Billing ");
        var department = await host.Admin.PostAsJsonAsync("/api/v1/departments", new { name }).ShouldBeAsync(HttpStatusCode.Created);
        var departmentId = department.GetProperty("id").GetInt64();
        var (agentId, agentEmail) = await CreateAgentAsync(host, "Maya Member");
        var hidden = await host.Admin.PostAsJsonAsync("/api/v1/tickets", new
        {
            subject = "Sisingilin ulit 重复扣款",
            message = new { body = "Charged twice." },
            customer = new { email = $"{Unique("c")}@example.test" },
            departmentId,
        }).ShouldBeAsync(HttpStatusCode.Created);
        var member = await SignInAsync(host, agentEmail, AgentPassword);
        await GotoAsync(member, $"/tickets/{hidden.GetProperty("number")}");
        await Expect(member.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();

        var page = await SignInAsAdminAsync(host);
        await GotoAsync(page, "/settings/departments");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit {name}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edit department" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync(name);
        await AssertAccessibleAsync(page);
        var renamed = name + " 账单";
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(renamed);
        await page.Locator("#department-mode").SelectOptionAsync("leastLoaded");
        await page.GetByTestId("department-members").GetByLabel("Maya Member").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        var row = page.GetByTestId("department-row").Filter(new() { HasText = renamed });
        await Expect(row).ToContainTextAsync("1");
        await Expect(page.GetByLabel($"Assignment: {renamed}")).ToHaveValueAsync("leastLoaded");
        var agent = await host.Admin.GetAsync($"/api/v1/agents/{agentId}").ShouldBeAsync(HttpStatusCode.OK);
        Assert.Contains(departmentId, agent.GetProperty("departmentIds").EnumerateArray().Select(d => d.GetInt64()));
        // Membership decides what an agent sees, at once: the member now opens the department's ticket.
        await GotoAsync(member, $"/tickets/{hidden.GetProperty("number")}");
        await Expect(member.GetByTestId("timeline")).ToContainTextAsync("Charged twice.");
    }

    [Fact]
    public async Task Mailboxes_Edit_ChangesSettingsAndKeepsTheStoredPasswordsUnseen()
    {
        var address = $"{Unique("imap")}@desk.test";
        const string secret = "imap-secret-Pa55";
        var created = await host.Admin.PostAsJsonAsync("/api/v1/mailboxes", new
        {
            address,
            name = "Old name",
            inbound = new { type = "imap", host = "imap.desk.test", username = "desk", password = secret },
            outbound = new { host = "smtp.desk.test", username = "desk", password = "smtp-secret-Pa55" },
        }).ShouldBeAsync(HttpStatusCode.Created);
        var department = await host.Admin.PostAsJsonAsync("/api/v1/departments", new { name = Unique("Mail dept ") }).ShouldBeAsync(HttpStatusCode.Created);
        var page = await SignInAsAdminAsync(host);
        await GotoAsync(page, "/settings/mailboxes");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit {address}" }).ClickAsync();
        await Expect(page.GetByLabel("Incoming server")).ToHaveValueAsync("imap.desk.test");
        await Expect(page.GetByLabel("Incoming password")).ToHaveValueAsync("");
        await Expect(page.GetByTestId("inbound-password-kept")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("outbound-password-kept")).ToBeVisibleAsync();
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        await AssertAccessibleAsync(page);
        await page.GetByLabel("Display name").FillAsync("Suporta 支持");
        await page.GetByLabel("Department").SelectOptionAsync(new SelectOptionValue { Label = department.GetProperty("name").GetString()! });
        await page.GetByLabel("Folder").FillAsync("Support");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.GetByTestId("mailbox-row").Filter(new() { HasText = address })).ToContainTextAsync("Suporta 支持");
        var mailbox = await host.Admin.GetAsync($"/api/v1/mailboxes/{created.GetProperty("id")}").ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal("Suporta 支持", mailbox.GetProperty("name").GetString());
        Assert.Equal(department.GetProperty("id").GetInt64(), mailbox.GetProperty("departmentId").GetInt64());
        Assert.Equal("Support", mailbox.GetProperty("inbound").GetProperty("folder").GetString());
        Assert.True(mailbox.GetProperty("inbound").GetProperty("hasPassword").GetBoolean());
        Assert.True(mailbox.GetProperty("outbound").GetProperty("hasPassword").GetBoolean());
        Assert.Equal("desk", mailbox.GetProperty("inbound").GetProperty("username").GetString());
    }

    [Fact]
    public async Task Agents_CapacityAndSkills_AreSavedThroughTheAgentsService()
    {
        var (agentId, _) = await CreateAgentAsync(host, "Carlo Capacity");
        var page = await SignInAsAdminAsync(host);
        await GotoAsync(page, "/settings/agents");

        await page.GetByRole(AriaRole.Button, new() { Name = "Capacity and skills: Carlo Capacity" }).ClickAsync();
        var form = page.GetByTestId("routing-form");
        await Expect(form).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);
        await form.GetByLabel("Chat", new() { Exact = true }).FillAsync("3");
        await form.GetByLabel("Email", new() { Exact = true }).FillAsync("12");
        await form.GetByLabel("Skills (tags, comma-separated)").FillAsync("billing, 退款");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Carlo Capacity" }).GetByTestId("agent-routing"))
            .ToHaveTextAsync("Email 12, Chat 3 · billing, 退款");
        var agent = await host.Admin.GetAsync($"/api/v1/agents/{agentId}").ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal(3, agent.GetProperty("capacities").GetProperty("chat").GetInt32());
        Assert.Equal(12, agent.GetProperty("capacities").GetProperty("email").GetInt32());
        Assert.Equal(["billing", "退款"], agent.GetProperty("skills").EnumerateArray().Select(s => s.GetString()!).ToArray());
    }
}
