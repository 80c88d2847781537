using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Switchboard.Chat;
using Switchboard.Core.Data;
using Switchboard.Host.Tests.Chat;
using Switchboard.Host.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Switchboard.Host.Tests.Workspace.WorkspaceBrowser;

namespace Switchboard.Host.Tests.Workspace;

/// <summary>The reply composer: which channel the reply goes on, and files sent with replies and notes.</summary>
public sealed class ComposerBrowserTests(SqliteBrowserHost host) : IClassFixture<SqliteBrowserHost>
{
    /// <summary>Replies by email need a mailbox that can send; the outbox worker does not run in tests, so mail stays queued.</summary>
    private async Task EnsureSendingMailboxAsync()
    {
        var boxes = await host.Admin.GetAsync("/api/v1/mailboxes").ShouldBeAsync(HttpStatusCode.OK);
        if (boxes.GetProperty("items").GetArrayLength() > 0) return;
        await host.Admin.PostAsJsonAsync("/api/v1/mailboxes", new
        {
            address = "help@composer.test",
            inbound = new { type = "smtp" },
            outbound = new { host = "127.0.0.1", port = 2525, security = "none" },
        }).ShouldBeAsync(HttpStatusCode.Created);
    }

    private static FilePayload File(string name, string type, string content) =>
        new() { Name = name, MimeType = type, Buffer = System.Text.Encoding.UTF8.GetBytes(content) };

    [Fact]
    public async Task Composer_AgentPicksEmailAndAttachesFiles_TheSentReplyShowsThemAndTheMailCarriesThem()
    {
        await EnsureSendingMailboxAsync();
        var ticket = await CreateTicketAsync(host, Unique("compose"), "Need my receipts", "Pakipadala ang resibo ko.");
        var number = ticket.GetProperty("number").GetInt64();
        var email = ticket.GetProperty("customer").GetProperty("email").GetString()!;
        var page = await SignInAsAdminAsync(host);
        await GotoAsync(page, $"/tickets/{number}");

        var channel = page.GetByLabel("Send by");
        await Expect(channel).ToHaveValueAsync("api");
        await Expect(page.GetByTestId("reply-destination")).ToHaveTextAsync("Kept on the ticket only; the customer is not notified.");
        await Expect(channel.Locator("option[value=chat]")).ToHaveTextAsync("Chat — this ticket has no chat.");
        await Expect(channel.Locator("option[value=chat]")).ToBeDisabledAsync();
        await channel.SelectOptionAsync("email");
        await Expect(page.GetByTestId("reply-destination")).ToHaveTextAsync($"Goes by email to {email}");

        await page.GetByLabel("Attach files").SetInputFilesAsync([File("receipt-收据.txt", "text/plain", "Receipt 1"), File("wrong.txt", "text/plain", "not this one")]);
        var pending = page.GetByTestId("pending-files");
        await Expect(pending).ToContainTextAsync("receipt-收据.txt");
        await Expect(pending).ToContainTextAsync("wrong.txt");
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove wrong.txt" }).ClickAsync();
        await Expect(pending).Not.ToContainTextAsync("wrong.txt");

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" }).FillAsync("Narito ang resibo mo.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();

        var sent = page.GetByTestId("timeline").Locator(".message.outbound");
        await Expect(sent).ToContainTextAsync("Narito ang resibo mo.");
        await Expect(sent.Locator(".kind")).ToHaveTextAsync("Email");
        await Expect(sent.GetByRole(AriaRole.Link, new() { Name = "receipt-收据.txt" })).ToBeVisibleAsync();
        await Expect(sent).Not.ToContainTextAsync("wrong.txt");
        await Expect(sent.Locator(".delivery")).ToContainTextAsync("queued");
        await Expect(page.GetByTestId("pending-files")).ToHaveCountAsync(0);

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var mail = await db.OutboundMails.AsNoTracking().SingleAsync(m => m.TicketId == ticket.GetProperty("id").GetInt64() && m.ToAddresses == email);
        var attached = await db.Attachments.AsNoTracking().Where(a => a.FileName == "receipt-收据.txt" && a.MessageId != null).Select(a => a.Id).ToListAsync();
        Assert.Equal(attached.Single().ToString(System.Globalization.CultureInfo.InvariantCulture), mail.AttachmentIds);
        Assert.False(await db.Attachments.AnyAsync(a => a.FileName == "wrong.txt"));
    }

    [Fact]
    public async Task Composer_LiveChat_RepliesInTheChatUntilItEndsThenByEmail()
    {
        await EnsureSendingMailboxAsync();
        var department = (await host.Admin.PostAsJsonAsync("/api/v1/departments", new { name = Unique("Chat ") }).ShouldBeAsync(HttpStatusCode.Created)).Id();
        var key = (await ChatKit.CreateWidgetAsync(host.Admin, department)).Key;
        var visitorEmail = $"{Unique("visitor")}@example.test";
        await using var visitor = new HubConnectionBuilder()
            .WithUrl($"{host.BaseUrl}{ChatModule.VisitorHubPath}?key={key}", o =>
            {
                o.SkipNegotiation = true;
                o.Transports = HttpTransportType.WebSockets;
                o.Headers["Origin"] = ChatKit.Origin;
            })
            .Build();
        var heard = new Heard();
        visitor.On<ChatLineDto>("Line", l => heard.Add("Line", l));
        await visitor.StartAsync();
        var state = await visitor.InvokeAsync<VisitorState>("Start", ChatKit.StartRequest("May tanong po ako. 我有个问题。", email: visitorEmail));
        var accepted = await host.Admin.PostAsync($"/api/v1/chat/conversations/{state.ConversationId}/accept", null).ShouldBeAsync(HttpStatusCode.OK);
        var ticketId = accepted.GetProperty("chat").GetProperty("ticketId").GetInt64();
        var page = await SignInAsAdminAsync(host);
        await GotoAsync(page, $"/tickets/{ticketId}");

        await Expect(page.GetByLabel("Send by")).ToHaveValueAsync("chat");
        await Expect(page.GetByTestId("reply-destination")).ToHaveTextAsync("Goes to the live chat");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" }).FillAsync("Opo, ano po iyon? 请说。");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await heard.WaitAsync<ChatLineDto>("Line", l => l.Text == "Opo, ano po iyon? 请说。");

        await visitor.InvokeAsync<VisitorState>("End");

        await Expect(page.GetByLabel("Send by")).ToHaveValueAsync("email");
        await Expect(page.GetByTestId("reply-destination")).ToHaveTextAsync($"Goes by email to {visitorEmail}");
        await Expect(page.GetByLabel("Send by").Locator("option[value=chat]")).ToHaveTextAsync("Chat — the chat has ended.");
    }

    [Fact]
    public async Task Composer_NoteWithAFile_ShowsTheFileOnTheNoteAndNoChannelChoice()
    {
        var ticket = await CreateTicketAsync(host, Unique("note"), "Screenshot please");
        var page = await SignInAsAdminAsync(host);
        await GotoAsync(page, $"/tickets/{ticket.GetProperty("number")}");

        await page.GetByRole(AriaRole.Radio, new() { Name = "Internal note" }).CheckAsync();
        await Expect(page.GetByLabel("Send by")).ToHaveCountAsync(0);
        await page.GetByLabel("Attach files").SetInputFilesAsync([File("log.txt", "text/plain", "error at line 7")]);
        await Expect(page.GetByTestId("pending-files")).ToContainTextAsync("log.txt");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Internal note" }).FillAsync("Log ng customer / 客户日志");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();

        var note = page.GetByTestId("timeline").Locator(".message.note");
        await Expect(note).ToContainTextAsync("Log ng customer / 客户日志");
        await Expect(note.GetByRole(AriaRole.Link, new() { Name = "log.txt" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Composer_InChinese_NamesTheChannelAndWhereTheReplyGoes()
    {
        await EnsureSendingMailboxAsync();
        var email = $"{Unique("zh")}@example.test";
        await host.Admin.PostAsJsonAsync("/api/v1/agents", new { email, name = "王芳", password = AgentPassword, role = "admin", language = "zh-Hans" })
            .ShouldBeAsync(HttpStatusCode.Created);
        var ticket = await CreateTicketAsync(host, Unique("zh"), "退款问题", "我想退款。");
        var customer = ticket.GetProperty("customer").GetProperty("email").GetString()!;
        var page = await SignInAsync(host, email, AgentPassword);
        await GotoAsync(page, $"/tickets/{ticket.GetProperty("number")}");

        await page.GetByLabel("发送方式").SelectOptionAsync("email");

        await Expect(page.GetByTestId("reply-destination")).ToHaveTextAsync($"将通过电子邮件发送至 {customer}");
        await Expect(page.GetByLabel("添加附件")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);
    }
}
