using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Switchboard.Host.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Switchboard.Host.Tests.Workspace.WorkspaceBrowser;

namespace Switchboard.Host.Tests.Workspace;

/// <summary>The agent workspace in Chromium: sign-in, triage, reply, note, assign, merge, live updates.</summary>
public sealed class WorkspaceTests(SqliteBrowserHost host) : IClassFixture<SqliteBrowserHost>
{
    [Fact]
    public async Task SignIn_WithPassword_OpensMyInbox()
    {
        var page = await host.NewPageAsync();

        await page.GotoAsync("/inbox/open");
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Finbox%2Fopen"));
        await page.GetByLabel("Email address").FillAsync(SwitchboardFactory.AdminEmail);
        await page.GetByLabel("Password").FillAsync(SwitchboardFactory.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/inbox/open$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "All open", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = SwitchboardFactory.AdminName })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SignIn_WrongPasswordFiveTimes_ShowsLockoutMessage()
    {
        var (_, email) = await CreateAgentAsync(host, "Lola Locked");
        var page = await host.NewPageAsync();
        await page.GotoAsync("/signin");

        for (var i = 0; i < 5; i++)
        {
            await page.GetByLabel("Email address").FillAsync(email);
            await page.GetByLabel("Password").FillAsync("not the password " + i);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The email address or password is not correct.");
        }
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(AgentPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Too many failed sign-ins. Try again after");
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));
    }

    [Fact]
    public async Task SignOut_EndsTheSession_PagesAskToSignInAgain()
    {
        var (_, email) = await CreateAgentAsync(host, "Sam Signout");
        var page = await SignInAsync(host, email, AgentPassword);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signin$"));
        await page.GotoAsync("/inbox/mine");

        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?returnUrl="));
    }

    [Fact]
    public async Task Inbox_FilterByTagAndSearch_ShowsOnlyMatchingTickets()
    {
        var tag = Unique("triage");
        var refund = await CreateTicketAsync(host, tag, "我想申请退款 for order 7781", "Please refund my order.", "Wei Zhang");
        var printer = await CreateTicketAsync(host, tag, "Printer jammed again", "Paper stuck in tray 2.", "Maria Santos");
        var page = await SignInAsAdminAsync(host);

        await GotoAsync(page, $"/inbox/open?tag={tag}");
        var list = page.GetByTestId("ticket-list");
        await Expect(list.GetByRole(AriaRole.Link, new() { Name = $"#{refund.GetProperty("number")} 我想申请退款 for order 7781" })).ToBeVisibleAsync();
        await Expect(list.GetByRole(AriaRole.Link, new() { Name = $"#{printer.GetProperty("number")} Printer jammed again" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("count-open")).ToHaveTextAsync(new Regex("^[1-9][0-9]*\\+?$"));

        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search tickets" }).FillAsync("退款");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("q=%E9%80%80%E6%AC%BE"));
        await Expect(list.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(list).ToContainTextAsync("Wei Zhang");
        await Expect(list).Not.ToContainTextAsync("Printer jammed again");
    }

    [Fact]
    public async Task Inbox_Views_CountTicketsAndOpenTheUnassignedQueue()
    {
        var tag = Unique("views");
        await CreateTicketAsync(host, tag, "Unassigned question about invoices");
        var page = await SignInAsAdminAsync(host);

        await GotoAsync(page, "/inbox/mine");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Unassigned") }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Unassigned", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("ticket-list")).ToContainTextAsync("Unassigned question about invoices");
        await Expect(page.GetByTestId("count-unassigned")).ToHaveTextAsync(new Regex("^[1-9][0-9]*\\+?$"));
        await ScreenshotAsync(page, "inbox");
    }

    [Fact]
    public async Task Inbox_SaveThisView_ListsItWithItsCountAndFilters()
    {
        var tag = Unique("saved");
        await CreateTicketAsync(host, tag, "Saved view ticket");
        var (_, email) = await CreateAgentAsync(host, "Sven Saver", role: "admin");
        var page = await SignInAsync(host, email, AgentPassword);
        await GotoAsync(page, $"/inbox/open?tag={tag}");
        await Expect(page.GetByTestId("ticket-list")).ToContainTextAsync("Saved view ticket");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save this view" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/inbox/filter/[0-9]+$"));
        var saved = page.GetByRole(AriaRole.Navigation, new() { Name = "Inbox" }).GetByRole(AriaRole.Link, new() { NameRegex = new Regex($"^All open {tag} 1$") });
        await Expect(saved).ToBeVisibleAsync();
        await Expect(page.GetByTestId("ticket-list")).ToContainTextAsync("Saved view ticket");
        await Expect(page.GetByTestId("ticket-list").Locator("tbody tr")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Inbox_KeyboardJThenEnter_OpensTheFirstTicket()
    {
        var tag = Unique("keys");
        var ticket = await CreateTicketAsync(host, tag, "Keyboard navigation check");
        var page = await SignInAsAdminAsync(host);
        await GotoAsync(page, $"/inbox/open?tag={tag}");
        await Expect(page.GetByTestId("ticket-list")).ToContainTextAsync("Keyboard navigation check");

        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex($"/tickets/{ticket.GetProperty("number")}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Keyboard navigation check");
    }

    [Fact]
    public async Task Inbox_BulkAssignToMe_ShowsMeAsAssignee()
    {
        var tag = Unique("bulk");
        var first = await CreateTicketAsync(host, tag, "Bulk one");
        var second = await CreateTicketAsync(host, tag, "Bulk two");
        var page = await SignInAsAdminAsync(host);
        await GotoAsync(page, $"/inbox/open?tag={tag}");
        await Expect(page.GetByTestId("ticket-list").Locator("tbody tr")).ToHaveCountAsync(2);

        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select all" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Assign to me" }).ClickAsync();

        await Expect(page.GetByTestId("ticket-list").Locator("tbody tr").Filter(new() { HasText = SwitchboardFactory.AdminName })).ToHaveCountAsync(2);
        Assert.Equal(host.AdminId, (await GetTicketAsync(host, first.GetProperty("id").GetInt64())).GetProperty("assigneeId").GetInt64());
        Assert.Equal(host.AdminId, (await GetTicketAsync(host, second.GetProperty("id").GetInt64())).GetProperty("assigneeId").GetInt64());
    }

    [Fact]
    public async Task Ticket_ReplyAndNote_AppearInTheTimeline()
    {
        var tag = Unique("reply");
        var ticket = await CreateTicketAsync(host, tag, "Kumusta, hindi gumagana ang app", "Hindi ako makapag-login.", "Juan dela Cruz");
        var number = ticket.GetProperty("number").GetInt64();
        var page = await SignInAsAdminAsync(host);
        await GotoAsync(page, $"/tickets/{number}");
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("Hindi ako makapag-login.");
        await Expect(page.GetByTestId("customer")).ToContainTextAsync("Juan dela Cruz");

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" }).FillAsync("Salamat! Paki-reset ang password mo.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Expect(page.GetByTestId("timeline").Locator(".message.outbound")).ToContainTextAsync("Salamat! Paki-reset ang password mo.");
        await Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync("Answered");

        await page.GetByRole(AriaRole.Radio, new() { Name = "Internal note" }).CheckAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Internal note" }).FillAsync("客户使用旧版本应用");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();

        await Expect(page.GetByTestId("timeline").Locator(".message.note")).ToContainTextAsync("客户使用旧版本应用");
        var messages = await host.Admin.GetAsync($"/api/v1/tickets/{number}/messages").ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal(["reply", "reply", "note"], messages.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("kind").GetString()!).ToArray());
        await ScreenshotAsync(page, "ticket");
    }

    [Fact]
    public async Task Ticket_AssignToAnotherAgent_ShowsTheChangeInHistory()
    {
        var (agentId, _) = await CreateAgentAsync(host, "Ana Assignee");
        var ticket = await CreateTicketAsync(host, Unique("assign"), "Please call me back");
        var number = ticket.GetProperty("number").GetInt64();
        var page = await SignInAsAdminAsync(host);
        await GotoAsync(page, $"/tickets/{number}");

        await page.GetByTestId("assignee-select").SelectOptionAsync(new SelectOptionValue { Label = "Ana Assignee" });

        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("assignee — → Ana Assignee");
        Assert.Equal(agentId, (await GetTicketAsync(host, ticket.GetProperty("id").GetInt64())).GetProperty("assigneeId").GetInt64());
    }

    [Fact]
    public async Task Ticket_MergeAnother_MovesItsMessagesHere()
    {
        var tag = Unique("merge");
        var target = await CreateTicketAsync(host, tag, "Order 5521 has not arrived", "Where is my parcel?");
        var source = await CreateTicketAsync(host, tag, "Re: order 5521", "Any news on the parcel? It is a gift.");
        var page = await SignInAsAdminAsync(host);
        await GotoAsync(page, $"/tickets/{target.GetProperty("number")}");

        await page.GetByTestId("merge-number").FillAsync(source.GetProperty("number").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Merge", Exact = true }).ClickAsync();

        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("Any news on the parcel? It is a gift.");
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync($"merged #{source.GetProperty("number")} → #{target.GetProperty("number")}");
        var merged = await GetTicketAsync(host, source.GetProperty("id").GetInt64());
        Assert.Equal(target.GetProperty("id").GetInt64(), merged.GetProperty("mergedIntoId").GetInt64());
    }

    [Fact]
    public async Task Inbox_NewTicketFromElsewhere_AppearsWithoutReloading()
    {
        var tag = Unique("live");
        var (_, colleague) = await CreateAgentAsync(host, "Cole Colleague", role: "admin");
        var (client, _) = await host.SignInAsync(colleague, AgentPassword);
        var page = await SignInAsAdminAsync(host);
        await GotoAsync(page, $"/inbox/unassigned?tag={tag}");
        await Expect(page.GetByText("No tickets here.")).ToBeVisibleAsync();

        var ticket = await CreateTicketAsync(host, tag, "Arrived while the inbox was open", client: client);

        await Expect(page.GetByTestId("ticket-list")).ToContainTextAsync("Arrived while the inbox was open", new() { Timeout = 5_000 });
        await Expect(page.GetByTestId("notifications")).ToContainTextAsync($"New ticket: #{ticket.GetProperty("number")} Arrived while the inbox was open");
    }

    [Fact]
    public async Task Note_MentioningAnAgent_NotifiesThem()
    {
        var (mentionedId, email) = await CreateAgentAsync(host, "Mina Mentioned");
        var (otherId, _) = await CreateAgentAsync(host, "Otto Other");
        var ticket = await CreateTicketAsync(host, Unique("mention"), "Needs a second opinion");
        await host.Admin.PatchAsJsonAsync($"/api/v1/tickets/{ticket.GetProperty("id")}", new { assigneeId = otherId }).ShouldBeAsync(HttpStatusCode.OK);
        var page = await SignInAsync(host, email, AgentPassword);

        await host.Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.GetProperty("id")}/messages", new { kind = "note", body = "@Mina Mentioned can you check the invoice?" })
            .ShouldBeAsync(HttpStatusCode.Created);

        await Expect(page.GetByTestId("notifications")).ToContainTextAsync($"{SwitchboardFactory.AdminName} mentioned you: #{ticket.GetProperty("number")} Needs a second opinion");
        Assert.NotEqual(mentionedId, otherId);
    }

    [Fact]
    public async Task Ticket_AnotherAgentOpensIt_BothSeeWhoIsThere()
    {
        var (_, email) = await CreateAgentAsync(host, "Vic Viewer", role: "admin");
        var ticket = await CreateTicketAsync(host, Unique("presence"), "Two agents, one ticket");
        var path = $"/tickets/{ticket.GetProperty("number")}";
        var owner = await SignInAsAdminAsync(host);
        await GotoAsync(owner, path);
        var other = await SignInAsync(host, email, AgentPassword);
        await GotoAsync(other, path);

        await Expect(owner.GetByTestId("presence")).ToContainTextAsync("Vic Viewer is viewing");
        await other.GetByRole(AriaRole.Textbox, new() { Name = "Reply" }).FocusAsync();

        await Expect(owner.GetByTestId("presence")).ToContainTextAsync("Vic Viewer is replying");
        await Expect(other.GetByTestId("presence")).ToContainTextAsync($"{SwitchboardFactory.AdminName} is viewing");
    }

    [Fact]
    public async Task Composer_CannedResponse_InsertsWithTheCustomersName()
    {
        var title = Unique("Greeting ");
        await host.Admin.PostAsJsonAsync("/api/v1/canned-responses", new { title, body = "Hi {{customer.first_name}}, ticket #{{ticket.number}} is with us." })
            .ShouldBeAsync(HttpStatusCode.Created);
        var ticket = await CreateTicketAsync(host, Unique("canned"), "Canned test", customerName: "Rosa Reyes");
        var page = await SignInAsAdminAsync(host);
        await GotoAsync(page, $"/tickets/{ticket.GetProperty("number")}");

        await page.GetByLabel("Canned response").SelectOptionAsync(new SelectOptionValue { Label = title });
        await page.GetByRole(AriaRole.Button, new() { Name = "Insert" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" })).ToHaveValueAsync($"Hi Rosa, ticket #{ticket.GetProperty("number")} is with us.");
    }

    [Fact]
    public async Task Profile_FilipinoAndManila_ChangesTheInterfaceAndTimes()
    {
        var (_, email) = await CreateAgentAsync(host, "Pia Profile");
        var page = await SignInAsync(host, email, AgentPassword);
        await GotoAsync(page, "/profile");

        await page.GetByLabel("Language").SelectOptionAsync("fil");
        await page.GetByLabel("Time zone").SelectOptionAsync("Asia/Manila");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Mag-sign out" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Profile", Level = 1 })).ToBeVisibleAsync();
        var agent = await host.Admin.GetAsync($"/api/v1/agents").ShouldBeAsync(HttpStatusCode.OK);
        var me = agent.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("email").GetString() == email);
        Assert.Equal("Asia/Manila", me.GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task Header_AvailabilitySwitch_SetsMeAway()
    {
        var (agentId, email) = await CreateAgentAsync(host, "Avi Available");
        var page = await SignInAsync(host, email, AgentPassword);

        await page.GetByTestId("availability").SelectOptionAsync("away");

        await Expect(page.GetByTestId("availability")).ToHaveValueAsync("away");
        await AssertEventuallyAsync(async () =>
            (await host.Admin.GetAsync($"/api/v1/agents/{agentId}").ShouldBeAsync(HttpStatusCode.OK)).GetProperty("availability").GetString() == "away");
    }

    private static async Task AssertEventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("The condition did not become true within 5 seconds.");
    }
}
