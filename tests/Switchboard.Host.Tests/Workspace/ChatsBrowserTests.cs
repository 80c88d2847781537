using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Switchboard.Host.Tests.Chat;
using Switchboard.Host.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Switchboard.Host.Tests.Workspace.WorkspaceBrowser;

namespace Switchboard.Host.Tests.Workspace;

/// <summary>
/// The agent's side of live chat in the workspace: a visitor on a shop's page (another origin)
/// chats through the widget, agents answer from the Chats page in their own browser contexts.
/// </summary>
public sealed class ChatsBrowserTests(ChatBrowserHost host) : IClassFixture<ChatBrowserHost>
{
    private const string Shop = "https://shop.example.test";

    private async Task<long> DepartmentAsync() =>
        (await host.Admin.PostAsJsonAsync("/api/v1/departments", new { name = Unique("Chat ") }).ShouldBeAsync(HttpStatusCode.Created)).Id();

    private async Task<string> WidgetKeyAsync(long department) =>
        (await host.Admin.PostAsJsonAsync("/api/v1/chat/widgets", new
        {
            name = "Shop",
            departmentId = department,
            allowedOrigins = new[] { Shop },
            ringTimeoutSeconds = 60,
            maxQueueWaitSeconds = 600,
        }).ShouldBeAsync(HttpStatusCode.Created)).Str("publicKey");

    private async Task<string> AgentAsync(long department, string name)
    {
        var email = $"{Unique("agent")}@example.test";
        await host.Admin.PostAsJsonAsync("/api/v1/agents", new { email, name, password = AgentPassword, role = "agent", departmentIds = new[] { department } })
            .ShouldBeAsync(HttpStatusCode.Created);
        return email;
    }

    private async Task<IPage> ShopPageAsync(string key)
    {
        var page = await host.NewPageAsync();
        await page.Context.GrantPermissionsAsync(["local-network-access"]);
        var html = $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
            <body><h1>Shop</h1><script src="{host.BaseUrl}/widget.js" data-widget="{key}" async></script></body></html>
            """;
        await page.RouteAsync(Shop + "/**", route => route.FulfillAsync(new() { Status = 200, ContentType = "text/html; charset=utf-8", Body = html }));
        return page;
    }

    private static async Task<IPage> ChatsPageAsync(BrowserHost host, string email, bool online)
    {
        var page = await SignInAsync(host, email, AgentPassword);
        await GotoAsync(page, "/chats");
        if (online) await page.GetByTestId("availability").SelectOptionAsync("online");
        return page;
    }

    [Fact]
    public async Task Agent_AcceptsAnswersTransfersAndEnds_VisitorSeesEachStep()
    {
        var department = await DepartmentAsync();
        var key = await WidgetKeyAsync(department);
        var anaEmail = await AgentAsync(department, "Ana Reyes");
        var benEmail = await AgentAsync(department, "Ben Tan");
        var ana = await ChatsPageAsync(host, anaEmail, online: true);
        // Ben has the workspace open but is not online: chats are not offered to him, yet can be handed to him.
        var ben = await ChatsPageAsync(host, benEmail, online: false);
        await Expect(ben.GetByTestId("chats-offline")).ToBeVisibleAsync();

        var shop = await ShopPageAsync(key);
        await shop.GotoAsync(Shop + "/pricing");
        await shop.GetByRole(AriaRole.Button, new() { Name = "Chat with us" }).ClickAsync();
        await shop.GetByLabel("Name").FillAsync("Maria Dela Cruz");
        await shop.GetByLabel("Email").FillAsync($"{Unique("maria")}@example.test");
        await shop.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).FillAsync("May discount ba kayo? 有折扣吗？");
        await shop.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();

        var offer = ana.GetByTestId("chat-offer");
        await Expect(offer).ToContainTextAsync("Maria Dela Cruz", new() { Timeout = 15_000 });
        await Expect(offer).ToContainTextAsync("May discount ba kayo? 有折扣吗？");
        await Expect(offer).ToContainTextAsync("Rings for");
        await Expect(ana.GetByTestId("chats-count")).ToHaveTextAsync("1");
        await offer.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();

        var panel = ana.GetByTestId("chat-panel");
        await Expect(panel.GetByTestId("chat-transcript")).ToContainTextAsync("May discount ba kayo? 有折扣吗？");
        await Expect(panel.GetByTestId("chat-current-page")).ToHaveTextAsync(Shop + "/pricing");
        await Expect(panel.GetByRole(AriaRole.Link, new() { Name = "Ticket #" })).ToBeVisibleAsync();
        await Expect(shop.GetByRole(AriaRole.Status).First).ToContainTextAsync("You are chatting with Ana Reyes");

        await shop.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).PressSequentiallyAsync("Paano gamitin");
        await Expect(panel.GetByTestId("chat-typing")).ToContainTextAsync("Paano gamitin");

        var input = panel.GetByTestId("chat-input");
        await input.FillAsync("Yes: 10% off <b>today</b>");
        await input.PressAsync("Enter");
        await Expect(shop.GetByRole(AriaRole.Log)).ToContainTextAsync("Yes: 10% off <b>today</b>");
        // Chat text is shown as text, never as markup.
        await Expect(panel.GetByTestId("chat-transcript")).ToContainTextAsync("Yes: 10% off <b>today</b>");
        await Expect(panel.Locator("b")).ToHaveCountAsync(0);
        await Expect(input).ToHaveValueAsync("");
        await AssertAccessibleAsync(ana);
        await ScreenshotAsync(ana, "chats");

        await panel.GetByTestId("chat-transfer-target").SelectOptionAsync(new SelectOptionValue { Label = "Ben Tan" });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Transfer" }).ClickAsync();
        await Expect(panel.GetByTestId("chat-closed")).ToHaveTextAsync("Chat transferred.");
        await Expect(shop.GetByRole(AriaRole.Status).First).ToContainTextAsync("You are chatting with Ben Tan");
        var bens = ben.GetByTestId("chat-panel");
        await Expect(bens.GetByTestId("chat-transcript")).ToContainTextAsync("Yes: 10% off <b>today</b>");

        await bens.GetByRole(AriaRole.Button, new() { Name = "End chat" }).ClickAsync();
        await Expect(bens.GetByTestId("chat-closed")).ToHaveTextAsync("Chat ended.");
        await Expect(shop.GetByText("How was this chat?")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Admin_CreatesAndEditsAWidget_SeesSnippetAndSecret()
    {
        var department = await DepartmentAsync();
        var name = Unique("Tindahan 商店 ");
        var page = await SignInAsAdminAsync(host);
        await GotoAsync(page, "/settings/chat-widgets");

        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByLabel("Department").SelectOptionAsync(department.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Allowed sites (one per line, e.g. https://shop.example.com)").FillAsync("https://shop.example.test\nhttps://www.example.test");
        await page.GetByLabel("Routing").SelectOptionAsync("leastbusy");
        await page.GetByLabel("Ring timeout (seconds)").FillAsync("45");
        await page.GetByLabel("Pre-chat questions (one per line: key | label | required)").FillAsync("order | Order number | required");
        await page.GetByLabel("Invitations (one per line: path | seconds | message)").FillAsync("/pricing | 20 | Kailangan ng tulong? 需要帮助吗？");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        await Expect(page.GetByTestId("widget-snippet")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("<script src=\".+/widget\\.js\" data-widget=\"[^\"]+\" async></script>"));
        await Expect(page.GetByTestId("widget-secret")).ToBeVisibleAsync();
        var row = page.GetByTestId("widget-row").Filter(new() { HasText = name });
        await Expect(row).ToContainTextAsync("https://shop.example.test, https://www.example.test");
        await Expect(row).ToContainTextAsync("Least busy");
        await AssertAccessibleAsync(page);

        // The secret shows again only on request.
        await GotoAsync(page, "/settings/chat-widgets");
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit " + name }).ClickAsync();
        await Expect(page.GetByTestId("widget-secret")).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("Ring timeout (seconds)")).ToHaveValueAsync("45");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show identity secret" }).ClickAsync();
        await Expect(page.GetByTestId("widget-secret")).ToBeVisibleAsync();
        await page.GetByLabel("Ring timeout (seconds)").FillAsync("90");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        var widgets = await host.Admin.GetAsync("/api/v1/chat/widgets").ShouldBeAsync(HttpStatusCode.OK);
        var saved = widgets.Items().Single(w => w.Str("name") == name);
        Assert.Equal(90, saved.GetProperty("ringTimeoutSeconds").GetInt32());
        Assert.Equal(department, saved.GetProperty("departmentId").GetInt64());
        Assert.Equal("order", saved.GetProperty("preChatFields")[0].Str("key"));
        Assert.True(saved.GetProperty("preChatFields")[0].GetProperty("required").GetBoolean());
        Assert.Equal("Kailangan ng tulong? 需要帮助吗？", saved.GetProperty("invitations")[0].Str("message"));
    }
}
