using Microsoft.Playwright;
using Switchboard.Host.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Switchboard.Host.Tests.Workspace.WorkspaceBrowser;

namespace Switchboard.Host.Tests.Nodes;

/// <summary>Two app nodes on one PostgreSQL database, each serving the workspace to a browser.</summary>
public sealed class PostgresTwoBrowserNodes : IAsyncLifetime
{
    public PostgresBrowserHost A { get; } = new();

    public PostgresSecondBrowserNode B { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await A.InitializeAsync();
        B = new PostgresSecondBrowserNode(A);
        await B.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}

/// <summary>Agents whose browsers are served by different nodes still see each other's work live.</summary>
public sealed class TwoNodesBrowserTests(PostgresTwoBrowserNodes nodes) : IClassFixture<PostgresTwoBrowserNodes>
{
    [Fact]
    public async Task Inbox_OnNodeB_ShowsTicketCreatedThroughNodeAWithoutReloading()
    {
        var tag = Unique("nodes");
        var (_, colleague) = await CreateAgentAsync(nodes.A, "Cole Colleague", role: "admin");
        var (client, _) = await nodes.A.SignInAsync(colleague, AgentPassword);
        var page = await SignInAsAdminAsync(nodes.B);
        await GotoAsync(page, $"/inbox/unassigned?tag={tag}");
        await Expect(page.GetByText("No tickets here.")).ToBeVisibleAsync();

        var ticket = await CreateTicketAsync(nodes.A, tag, "Dumating habang bukas ang inbox 收件箱打开时到达", client: client);

        await Expect(page.GetByTestId("ticket-list")).ToContainTextAsync("Dumating habang bukas ang inbox 收件箱打开时到达", new() { Timeout = 5_000 });
        await Expect(page.GetByTestId("notifications")).ToContainTextAsync($"New ticket: #{ticket.GetProperty("number")}");
    }

    [Fact]
    public async Task Ticket_OpenOnBothNodes_EachAgentSeesTheOther()
    {
        var (_, email) = await CreateAgentAsync(nodes.A, "Vic Viewer", role: "admin");
        var ticket = await CreateTicketAsync(nodes.A, Unique("presence"), "Two agents, two nodes, one ticket");
        var path = $"/tickets/{ticket.GetProperty("number")}";
        var ownerOnA = await SignInAsAdminAsync(nodes.A);
        await GotoAsync(ownerOnA, path);
        var otherOnB = await SignInAsync(nodes.B, email, AgentPassword);
        await GotoAsync(otherOnB, path);

        await Expect(ownerOnA.GetByTestId("presence")).ToContainTextAsync("Vic Viewer is viewing");
        await Expect(otherOnB.GetByTestId("presence")).ToContainTextAsync($"{SwitchboardFactory.AdminName} is viewing");
        await otherOnB.GetByRole(AriaRole.Textbox, new() { Name = "Reply" }).FocusAsync();

        await Expect(ownerOnA.GetByTestId("presence")).ToContainTextAsync("Vic Viewer is replying");
    }
}
