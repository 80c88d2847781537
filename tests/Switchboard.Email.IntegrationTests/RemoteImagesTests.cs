using MimeKit;
using Switchboard.Email.IntegrationTests.Infrastructure;

namespace Switchboard.Email.IntegrationTests;

/// <summary>Remote images in email stay unloaded (tracking pixels tell the sender when mail is read) until an agent asks for them.</summary>
public sealed class RemoteImagesTests(SqliteMailDesk desk) : MailDeskTests(desk), IClassFixture<SqliteMailDesk>
{
    [Fact]
    public async Task Messages_RemoteImage_HiddenByDefault_ShownOnRequest()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId)).Str("address");
        var message = TestMail.Plain(TestMail.NewCustomer(), address, "Newsletter reply", "See the picture.");
        message.Body = new BodyBuilder
        {
            TextBody = "See the picture.",
            HtmlBody = """<p>See the picture.</p><img src="https://tracker.example/pixel.png?id=42" alt="chart">""",
        }.ToMessageBody();
        using var output = new StringWriter();
        Assert.Equal(MailPipe.Stored, await MailPipe.RunAsync(
            Host.Services, ["ingest-mail", "--mailbox", address], new MemoryStream(TestMail.Bytes(message)), output, CancellationToken.None));
        var ticket = Assert.Single(await Desk.TicketsAsync(departmentId));

        var hidden = Assert.Single(await Desk.MessagesAsync(ticket.Id())).Str("bodyHtml");
        var shown = (await Host.Admin.GetAsync($"/api/v1/tickets/{ticket.Id()}/messages?remoteImages=show").ShouldBeAsync(System.Net.HttpStatusCode.OK))
            .Items().Single().Str("bodyHtml");

        Assert.DoesNotContain(" src=\"https://tracker.example", hidden, StringComparison.Ordinal);
        Assert.Contains("data-remote-src=\"https://tracker.example/pixel.png?id=42\"", hidden, StringComparison.Ordinal);
        Assert.Contains(" src=\"https://tracker.example/pixel.png?id=42\"", shown, StringComparison.Ordinal);
        Assert.Contains("referrerpolicy=\"no-referrer\"", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("data-remote-src", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_RemoteImagesUnknownValue_Returns400()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId)).Str("address");
        using var output = new StringWriter();
        await MailPipe.RunAsync(Host.Services, ["ingest-mail", "--mailbox", address],
            new MemoryStream(TestMail.Bytes(TestMail.Plain(TestMail.NewCustomer(), address, "Plain", "Text only."))), output, CancellationToken.None);
        var ticket = Assert.Single(await Desk.TicketsAsync(departmentId));

        var response = await Host.Admin.GetAsync($"/api/v1/tickets/{ticket.Id()}/messages?remoteImages=always");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }
}
