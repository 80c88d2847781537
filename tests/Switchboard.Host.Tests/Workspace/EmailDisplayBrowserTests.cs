using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using MimeKit;
using Switchboard.Email;
using Switchboard.Host.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Switchboard.Host.Tests.Workspace.WorkspaceBrowser;

namespace Switchboard.Host.Tests.Workspace;

/// <summary>How email shows in the ticket view: remote images only on request, quoted earlier mail folded.</summary>
public sealed class EmailDisplayBrowserTests(SqliteBrowserHost host) : IClassFixture<SqliteBrowserHost>
{
    /// <summary>Delivers an HTML email through the pipe command and returns its ticket's number.</summary>
    private async Task<long> ReceiveAsync(string html, string text)
    {
        var address = $"{Unique("support")}@desk.test";
        await host.Admin.PostAsJsonAsync("/api/v1/mailboxes", new { address, name = "Support", inbound = new { type = "smtp" } })
            .ShouldBeAsync(HttpStatusCode.Created);
        var subject = Unique("Mail ");
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mia Marketing", $"{Unique("customer")}@example.test"));
        message.To.Add(MailboxAddress.Parse(address));
        message.Subject = subject;
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        using var raw = new MemoryStream();
        await message.WriteToAsync(raw);
        raw.Position = 0;
        using var output = new StringWriter();
        Assert.Equal(MailPipe.Stored, await MailPipe.RunAsync(host.Services, ["ingest-mail", "--mailbox", address], raw, output, CancellationToken.None));
        var ticket = (await host.Admin.GetAsync($"/api/v1/tickets?q={Uri.EscapeDataString(subject)}").ShouldBeAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Single();
        return ticket.GetProperty("number").GetInt64();
    }

    [Fact]
    public async Task TicketView_QuotedEarlierMail_IsFoldedUntilTheAgentUnfoldsIt()
    {
        var number = await ReceiveAsync(
            """<p>Still broken after the update.</p><div class="gmail_quote">On Monday Support wrote:<blockquote>Please update to version 5.</blockquote></div>""",
            "Still broken after the update.\n\nOn Monday Support wrote:\n> Please update to version 5.");
        var page = await SignInAsAdminAsync(host);

        await GotoAsync(page, $"/tickets/{number}");

        await Expect(page.GetByText("Still broken after the update.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Please update to version 5.")).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show quoted text" }).ClickAsync();
        await Expect(page.GetByText("Please update to version 5.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task TicketView_EmailWithRemoteImage_LoadsItOnlyAfterTheAgentAsks()
    {
        var number = await ReceiveAsync("""<p>Our chart.</p><img src="https://images.example.test/chart.png" alt="Sales chart">""", "Our chart.");

        var page = await SignInAsAdminAsync(host);
        var fetched = 0;
        await page.Context.RouteAsync("https://images.example.test/**", async route =>
        {
            Interlocked.Increment(ref fetched);
            await route.FulfillAsync(new() { Status = 200, ContentType = "image/png", BodyBytes = [] });
        });
        await GotoAsync(page, $"/tickets/{number}");
        await Expect(page.GetByText("Our chart.")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal(0, fetched);

        var requested = page.WaitForRequestAsync("https://images.example.test/chart.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show remote images" }).ClickAsync();
        await requested;

        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Sales chart" })).ToHaveAttributeAsync("src", "https://images.example.test/chart.png");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Show remote images" })).ToHaveCountAsync(0);
        Assert.True(fetched >= 1);
    }
}
