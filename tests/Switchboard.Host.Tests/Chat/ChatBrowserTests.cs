using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using Switchboard.Chat;
using Switchboard.Core.Data;
using Switchboard.Host.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Host.Tests.Chat;

/// <summary>The browser host with the per-address chat limit lifted (every visitor comes from loopback).</summary>
public sealed class ChatBrowserHost() : BrowserHost(DatabaseProvider.Sqlite)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        ChatKit.Configure(builder);
    }
}

/// <summary>
/// The widget embedded in a shop's page on another origin, driven in Chromium; agents are SignalR
/// clients of the real host.
/// </summary>
public sealed class ChatBrowserTests(ChatBrowserHost host) : IClassFixture<ChatBrowserHost>
{
    private const string Shop = "https://shop.example.test";

    private sealed record AgentSide(long Id, HttpClient Client, HubConnection Hub, Heard Heard);

    private async Task<long> DepartmentAsync() =>
        (await host.Admin.PostAsJsonAsync("/api/v1/departments", new { name = "Chat " + Guid.NewGuid().ToString("N")[..8] }).ShouldBeAsync(HttpStatusCode.Created)).Id();

    private async Task<Widget> WidgetAsync(long department, string origin = Shop)
    {
        var created = await host.Admin.PostAsJsonAsync("/api/v1/chat/widgets", new
        {
            name = "Shop",
            departmentId = department,
            allowedOrigins = new[] { origin },
            ringTimeoutSeconds = 30,
            maxQueueWaitSeconds = 300,
            allowedFileTypes = new[] { "text/plain", "image/" },
            maxFileBytes = 1024 * 1024,
            invitations = new[] { new { path = "/pricing", afterSeconds = 1, message = "Questions about our plans?" } },
        }).ShouldBeAsync(HttpStatusCode.Created);
        return new Widget(created.Id(), created.Str("publicKey"), created.Str("identitySecret"));
    }

    private async Task<AgentSide> AgentAsync(long department, string name, bool connect = true)
    {
        var email = $"agent-{Guid.NewGuid():N}@example.test";
        var created = await host.Admin.PostAsJsonAsync("/api/v1/agents", new { email, name, password = "agent password 123", role = "agent", departmentIds = new[] { department } })
            .ShouldBeAsync(HttpStatusCode.Created);
        var (client, _) = await host.SignInAsync(email, "agent password 123");
        var heard = new Heard();
        var hub = new HubConnectionBuilder()
            .WithUrl(host.BaseUrl + ChatModule.AgentHubPath, o => o.Headers["Authorization"] = "Bearer " + client.DefaultRequestHeaders.Authorization!.Parameter)
            .Build();
        hub.On<ChatOfferDto>("Offered", o => heard.Add("Offered", o));
        hub.On<long, ChatLineDto>("Line", (id, l) => heard.Add("Line", l, id));
        hub.On<long, string>("VisitorTyping", (id, p) => heard.Add("VisitorTyping", p, id));
        hub.On<ChatSummaryDto>("Assigned", c => heard.Add("Assigned", c));
        hub.On<long, string>("Ended", (id, by) => heard.Add("Ended", by, id));
        if (connect)
        {
            await client.PutAsJsonAsync("/api/v1/agents/me/availability", new { availability = "online" }).ShouldBeAsync(HttpStatusCode.OK);
            await hub.StartAsync();
        }
        return new AgentSide(created.Id(), client, hub, heard);
    }

    /// <summary>A page of the shop, on its own origin, embedding the widget from the host.</summary>
    private async Task<IPage> ShopPageAsync(string key, string origin = Shop, string lang = "en", ViewportSize? viewport = null)
    {
        var page = await host.NewPageAsync(viewport: viewport);
        // The shop is "public" and the host listens on loopback: Chromium asks before a page reaches a local address.
        await page.Context.GrantPermissionsAsync(["local-network-access"]);
        var html = $"""
            <!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Shop</title>
            <meta name="viewport" content="width=device-width, initial-scale=1"></head>
            <body><h1>Shop</h1><a href="/cart">Cart</a>
            <script src="{host.BaseUrl}/widget.js" data-widget="{key}" async></script></body></html>
            """;
        await page.RouteAsync(origin + "/**", route => route.FulfillAsync(new() { Status = 200, ContentType = "text/html; charset=utf-8", Body = html }));
        return page;
    }

    private static async Task StartChatAsync(IPage page, string message)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Maria Dela Cruz");
        await page.GetByLabel("Email").FillAsync($"maria-{Guid.NewGuid():N}@example.test");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).FillAsync(message);
        await page.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
    }

    private static ILocator Log(IPage page) => page.GetByRole(AriaRole.Log);

    [Fact]
    public async Task Visitor_ChatsWithAnAgent_TypingFileTransferAndRating()
    {
        var department = await DepartmentAsync();
        var widget = await WidgetAsync(department);
        var agent = await AgentAsync(department, "Ana Reyes");
        var colleague = await AgentAsync(department, "Ben Tan");
        var page = await ShopPageAsync(widget.Key);
        await page.GotoAsync(Shop + "/pricing");

        await StartChatAsync(page, "Hi! May discount ba kayo? 有折扣吗？");
        var offer = await Task.WhenAny(agent.Heard.WaitAsync<ChatOfferDto>("Offered"), colleague.Heard.WaitAsync<ChatOfferDto>("Offered"));
        var chat = (await offer).Chat;
        var (mine, other) = agent.Heard.All<ChatOfferDto>("Offered").Count > 0 ? (agent, colleague) : (colleague, agent);
        Assert.Equal("Hi! May discount ba kayo? 有折扣吗？", (await offer).FirstMessage);
        Assert.Equal(Shop + "/pricing", chat.CurrentPage);
        await mine.Hub.InvokeAsync<ChatDetailDto>("Accept", chat.Id);
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("You are chatting with");

        await mine.Hub.InvokeAsync<ChatLineDto>("Send", chat.Id, ChatKit.NewId(), "Yes: 10% off <script>alert(1)</script>");
        await Expect(Log(page)).ToContainTextAsync("Yes: 10% off <script>alert(1)</script>");

        var composer = page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        await composer.PressSequentiallyAsync("How do I apply it");
        Assert.Equal("How do I apply it", await mine.Heard.WaitAsync<string>("VisitorTyping", p => p == "How do I apply it"));
        await composer.PressAsync("Enter");
        await mine.Heard.WaitAsync<ChatLineDto>("Line", l => l.Text == "How do I apply it");
        await Expect(Log(page)).ToContainTextAsync("Delivered");

        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "receipt.txt", MimeType = "text/plain", Buffer = "order 1234"u8.ToArray() });
        var file = await mine.Heard.WaitAsync<ChatLineDto>("Line", l => l.File is not null);
        Assert.Equal("receipt.txt", file.File!.Name);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "receipt.txt" })).ToBeVisibleAsync();

        await mine.Hub.InvokeAsync<ChatSummaryDto>("Transfer", chat.Id, other.Id, null);
        await other.Heard.WaitAsync<ChatSummaryDto>("Assigned");
        var otherName = other == agent ? "Ana Reyes" : "Ben Tan";
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync($"You are chatting with {otherName}");
        await other.Hub.InvokeAsync("End", chat.Id);

        await Expect(page.GetByText("How was this chat?")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Comment (optional)" }).FillAsync("Very helpful");
        await page.GetByRole(AriaRole.Button, new() { Name = "Good" }).ClickAsync();
        await Expect(page.GetByText("Thank you for your rating.")).ToBeVisibleAsync();
        var ticket = await host.Admin.GetAsync($"/api/v1/tickets/{chat.TicketId}").ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal("good", ticket.Str("rating"));
        Assert.Equal("Very helpful", ticket.Str("ratingComment"));
    }

    [Fact]
    public async Task DroppedConnection_MidConversation_NoLineLostOrDoubled()
    {
        var department = await DepartmentAsync();
        var widget = await WidgetAsync(department);
        var agent = await AgentAsync(department, "Chen Li");
        var page = await ShopPageAsync(widget.Key);
        var sockets = new List<IWebSocketRoute>();
        var swallowAnswers = false;
        await page.RouteWebSocketAsync(new Regex("/hubs/chat/visitor"), ws =>
        {
            var server = ws.ConnectToServer();
            ws.OnMessage(frame => server.Send(frame.Text ?? ""));
            // While "dropping", the server's answers (acknowledgements, agent lines) never reach the page.
            server.OnMessage(frame =>
            {
                if (!swallowAnswers) ws.Send(frame.Text ?? "");
            });
            lock (sockets) sockets.Add(ws);
        });
        await page.GotoAsync(Shop + "/");
        await StartChatAsync(page, "Connection test");
        var offer = await agent.Heard.WaitAsync<ChatOfferDto>("Offered");
        await agent.Hub.InvokeAsync<ChatDetailDto>("Accept", offer.Chat.Id);
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("You are chatting with Chen Li");

        swallowAnswers = true;
        var composer = page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        await composer.FillAsync("sent but never acknowledged");
        await composer.PressAsync("Enter");
        await agent.Heard.WaitAsync<ChatLineDto>("Line", l => l.Text == "sent but never acknowledged");
        await agent.Hub.InvokeAsync<ChatLineDto>("Send", offer.Chat.Id, ChatKit.NewId(), "answer while the line was down");
        await Expect(Log(page)).ToContainTextAsync("Sending…");
        await page.Context.SetOfflineAsync(true);
        IWebSocketRoute[] open;
        lock (sockets) open = [.. sockets];
        foreach (var s in open) await s.CloseAsync();
        await composer.FillAsync("typed while offline");
        await composer.PressAsync("Enter");
        swallowAnswers = false;
        await page.Context.SetOfflineAsync(false);

        await Expect(Log(page)).ToContainTextAsync("answer while the line was down", new() { Timeout = 20_000 });
        await Expect(Log(page)).ToContainTextAsync("typed while offline");
        await Expect(Log(page).GetByText("Sending…")).ToHaveCountAsync(0);
        var texts = await Log(page).Locator("li .text").AllTextContentsAsync();
        Assert.Equal(["Connection test", "sent but never acknowledged", "answer while the line was down", "typed while offline"], texts);
        var detail = await agent.Client.GetAsync($"/api/v1/chat/conversations/{offer.Chat.Id}").ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal(4, detail.GetProperty("lines").GetArrayLength());

        // A reload keeps the conversation.
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" }).ClickAsync();
        await Expect(Log(page).Locator("li")).ToHaveCountAsync(4);
    }

    [Fact]
    public async Task NoAgentOnline_OfflineFormCreatesATicket()
    {
        var department = await DepartmentAsync();
        var widget = await WidgetAsync(department);
        var page = await ShopPageAsync(widget.Key, lang: "fil");
        await page.GotoAsync(Shop + "/");

        await page.GetByRole(AriaRole.Button, new() { Name = "Makipag-chat sa amin" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Offline kami");
        await page.GetByLabel("Pangalan").FillAsync("Jose Rizal");
        await page.GetByLabel("Email").FillAsync($"jose-{Guid.NewGuid():N}@example.test");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Mensahe" }).FillAsync("Paki-email po ako tungkol sa order ko.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ipadala ang mensahe" }).ClickAsync();

        await Expect(page.GetByText("Salamat. Sasagot kami sa email.")).ToBeVisibleAsync();
        var tickets = await host.Admin.GetAsync($"/api/v1/tickets?departmentId={department}").ShouldBeAsync(HttpStatusCode.OK);
        var ticket = Assert.Single(tickets.Items());
        Assert.Equal("chat", ticket.Str("channel"));
    }

    [Fact]
    public async Task ProactiveInvitation_OnTheRulesPage_InvitesAndOpensTheChat()
    {
        var department = await DepartmentAsync();
        var widget = await WidgetAsync(department);
        await AgentAsync(department, "Ivy Cruz");
        var page = await ShopPageAsync(widget.Key);

        await page.GotoAsync(Shop + "/pricing/teams");
        var invitation = page.GetByRole(AriaRole.Button, new() { Name = "Questions about our plans?" });
        await Expect(invitation).ToBeVisibleAsync();
        await invitation.ClickAsync();

        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start chat" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task DisallowedSite_GetsNoWidget()
    {
        var department = await DepartmentAsync();
        var widget = await WidgetAsync(department);
        var page = await ShopPageAsync(widget.Key, origin: "https://evil.example.test");
        var refused = new TaskCompletionSource<string>();
        page.RequestFailed += (_, r) =>
        {
            if (r.Url.Contains("/api/v1/chat/public/widgets/", StringComparison.Ordinal)) refused.TrySetResult(r.Failure ?? "");
        };

        await page.GotoAsync("https://evil.example.test/");

        await refused.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Widget_OnAPhoneInChinese_IsKeyboardUsableAndFillsTheScreen()
    {
        var department = await DepartmentAsync();
        var widget = await WidgetAsync(department);
        await AgentAsync(department, "Wang Fang");
        var page = await ShopPageAsync(widget.Key, lang: "zh-CN", viewport: new ViewportSize { Width = 375, Height = 667 });
        await page.GotoAsync(Shop + "/");

        var launcher = page.GetByRole(AriaRole.Button, new() { Name = "与我们聊天" });
        await Expect(launcher).ToBeVisibleAsync();
        await launcher.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(page.GetByLabel("姓名")).ToBeFocusedAsync();
        var box = await dialog.BoundingBoxAsync();
        Assert.Equal(375, box!.Width, 1);
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(launcher).ToBeFocusedAsync();
    }
}
