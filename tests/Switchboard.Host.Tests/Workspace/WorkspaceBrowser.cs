using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Workspace;

/// <summary>What the workspace's browser tests share: people who sign in, tickets made through the API, and checks.</summary>
internal static class WorkspaceBrowser
{
    public const string AgentPassword = "agent password 123";

    public static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Signs in through the form and waits until the workspace answers clicks.</summary>
    public static async Task<IPage> SignInAsync(BrowserHost host, string email, string password, ViewportSize? viewport = null)
    {
        var page = await host.NewPageAsync(viewport: viewport);
        await page.GotoAsync("/signin");
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await WaitInteractiveAsync(page);
        return page;
    }

    public static Task<IPage> SignInAsAdminAsync(BrowserHost host, ViewportSize? viewport = null) =>
        SignInAsync(host, SwitchboardFactory.AdminEmail, SwitchboardFactory.AdminPassword, viewport);

    public static async Task WaitInteractiveAsync(IPage page) =>
        await page.Locator(".shell[data-interactive='true']").WaitForAsync(new() { Timeout = 15_000 });

    public static async Task GotoAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitInteractiveAsync(page);
    }

    public static async Task<(long Id, string Email)> CreateAgentAsync(BrowserHost host, string name, string role = "agent")
    {
        var email = $"{Unique("agent")}@example.test";
        var created = await host.Admin.PostAsJsonAsync("/api/v1/agents", new { email, name, password = AgentPassword, role, departmentIds = Array.Empty<long>() })
            .ShouldBeAsync(HttpStatusCode.Created);
        return (created.GetProperty("id").GetInt64(), email);
    }

    public static async Task<JsonElement> CreateTicketAsync(
        BrowserHost host, string tag, string subject, string body = "Hello, I need help.", string? customerName = null, HttpClient? client = null)
    {
        var request = new
        {
            subject,
            message = new { body },
            customer = new { email = $"{Unique("customer")}@example.test", name = customerName ?? "Casey Customer" },
            tags = new[] { tag },
        };
        return await (client ?? host.Admin).PostAsJsonAsync("/api/v1/tickets", request).ShouldBeAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonElement> GetTicketAsync(BrowserHost host, long id) =>
        await host.Admin.GetAsync($"/api/v1/tickets/{id}").ShouldBeAsync(HttpStatusCode.OK);

    /// <summary>WCAG 2.0, 2.1 and 2.2 A and AA rules; fails with each violation and where it is.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        });
        var violations = result.Violations
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(" | ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToList();
        Assert.True(violations.Count == 0, $"{page.Url}:\n" + string.Join("\n", violations));
    }

    /// <summary>With SWITCHBOARD_SCREENSHOTS set to a folder, saves the page there (see docs/screenshots).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS");
        if (string.IsNullOrWhiteSpace(folder)) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}
