using Microsoft.Playwright;
using Switchboard.Host.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Switchboard.Host.Tests.Workspace.WorkspaceBrowser;

namespace Switchboard.Host.Tests.Workspace;

/// <summary>WCAG 2.2 AA (axe-core) on each main screen, on a desktop and at a tablet's width.</summary>
public sealed class AccessibilityTests(SqliteBrowserHost host) : IClassFixture<SqliteBrowserHost>
{
    public static TheoryData<int> Widths => [1280, 768];

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task SignInPage_HasNoAccessibilityViolations(int width)
    {
        var page = await host.NewPageAsync(viewport: new ViewportSize { Width = width, Height = 900 });
        await page.GotoAsync("/signin");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();

        await AssertAccessibleAsync(page);
        if (width == 1280) await ScreenshotAsync(page, "signin");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task MainScreens_HaveNoAccessibilityViolations(int width)
    {
        var tag = Unique("a11y");
        var ticket = await CreateTicketAsync(host, tag, "Accessibility check ticket", "Can you read this with a screen reader?");
        await CreateTicketAsync(host, tag, "Second ticket for the list");
        var page = await SignInAsAdminAsync(host, new ViewportSize { Width = width, Height = 900 });

        await GotoAsync(page, $"/inbox/open?tag={tag}");
        await Expect(page.GetByTestId("ticket-list")).ToContainTextAsync("Accessibility check ticket");
        await AssertAccessibleAsync(page);

        await GotoAsync(page, $"/tickets/{ticket.GetProperty("number")}");
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("Can you read this with a screen reader?");
        await AssertAccessibleAsync(page);
        if (width == 768) await ScreenshotAsync(page, "ticket-tablet");

        foreach (var path in new[] { "/profile", "/settings/canned-responses", "/settings/departments", "/settings/agents", "/settings/api-tokens", "/settings/mailboxes", "/settings/automation-rules" })
        {
            await GotoAsync(page, path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await AssertAccessibleAsync(page);
            if (width == 1280 && path == "/settings/canned-responses") await ScreenshotAsync(page, "settings");
        }
    }
}
