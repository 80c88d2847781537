using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Switchboard.Host.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Switchboard.Host.Tests.Workspace.WorkspaceBrowser;

namespace Switchboard.Host.Tests.Workspace;

/// <summary>Administrators manage automation rules and departments' auto-assignment in the workspace's settings.</summary>
public sealed class AutomationRulesBrowserTests(SqliteBrowserHost host) : IClassFixture<SqliteBrowserHost>
{
    [Fact]
    public async Task Settings_AdminCreatesEditsAndDeletesARule_AndSeesWhyABadOneIsRefused()
    {
        var page = await SignInAsAdminAsync(host);
        await GotoAsync(page, "/settings/automation-rules");
        var name = Unique("VIP first ");

        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByLabel("Trigger").SelectOptionAsync("ticket_created");
        await page.GetByLabel("Conditions (JSON)").FillAsync("""{"all": [{"field": "ticket.subject", "op": "contains", "value": "VIP"}]}""");
        await page.GetByLabel("Actions (JSON)").FillAsync("""[{"type": "set_priority", "value": "sideways"}]""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save rule" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("actions[0]");

        await page.GetByLabel("Actions (JSON)").FillAsync("""[{"type": "set_priority", "value": "urgent"}]""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save rule" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Expect(row).ToContainTextAsync("ticket_created");

        // The rule works: a new ticket with VIP in its subject is made urgent.
        var ticket = await CreateTicketAsync(host, Unique("rule"), "VIP: order missing");
        var until = DateTime.UtcNow.AddSeconds(20);
        string? priority;
        do
        {
            await Task.Delay(200);
            priority = (await GetTicketAsync(host, ticket.GetProperty("id").GetInt64())).GetProperty("priority").GetString();
        }
        while (priority != "urgent" && DateTime.UtcNow < until);
        Assert.Equal("urgent", priority);

        await row.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await page.GetByLabel("Active").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save rule" }).ClickAsync();
        await Expect(row).ToContainTextAsync("No");
        var rules = await host.Admin.GetAsync("/api/v1/automation/rules").ShouldBeAsync(HttpStatusCode.OK);
        Assert.False(rules.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("name").GetString() == name).GetProperty("isActive").GetBoolean());

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Settings_AdminTurnsOnRoundRobinForADepartment()
    {
        var name = Unique("Returns ");
        var created = await host.Admin.PostAsJsonAsync("/api/v1/departments", new { name }).ShouldBeAsync(HttpStatusCode.Created);
        var page = await SignInAsAdminAsync(host);
        await GotoAsync(page, "/settings/departments");

        await page.GetByLabel($"Assignment: {name}").SelectOptionAsync("roundRobin");

        var until = DateTime.UtcNow.AddSeconds(10);
        string? mode;
        do
        {
            await Task.Delay(100);
            mode = (await host.Admin.GetAsync($"/api/v1/departments/{created.GetProperty("id").GetInt64()}").ShouldBeAsync(HttpStatusCode.OK))
                .GetProperty("assignmentMode").GetString();
        }
        while (mode != "roundRobin" && DateTime.UtcNow < until);
        Assert.Equal("roundRobin", mode);
        await page.ReloadAsync();
        await WaitInteractiveAsync(page);
        await Expect(page.GetByLabel($"Assignment: {name}")).ToHaveValueAsync("roundRobin");
    }
}
