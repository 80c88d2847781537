using Switchboard.Email.IntegrationTests.Infrastructure;

namespace Switchboard.Email.IntegrationTests;

/// <summary>Mailbox settings through the admin API take effect on the running host.</summary>
public sealed class MailboxesApiTests(SqliteMailDesk desk) : MailDeskTests(desk), IClassFixture<SqliteMailDesk>
{
    [Fact]
    public async Task ImapMailbox_WrongPassword_ErrorShownUntilCorrectedThenMailArrives()
    {
        var server = TestMailServer.Current;
        var user = TestMailServer.NewUser();
        var address = HelpDesk.NewAddress();
        await server.AppendAsync(user, TestMail.Plain(TestMail.NewCustomer(), address, "Hello?", "Is anybody reading this?"));
        var departmentId = await Desk.CreateDepartmentAsync();

        var mailbox = await Desk.CreateImapMailboxWithPasswordAsync(user, departmentId, address, "not the password");

        var failing = await Eventually.UntilAsync(() => Desk.MailboxAsync(mailbox.Id()), m => m.StrOrNull("lastError") is not null, "the login failure to show");
        Assert.Contains("auth", failing.Str("lastError"), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await Desk.TicketsAsync(departmentId));

        await Desk.UpdateMailboxAsync(mailbox.Id(), new
        {
            inbound = new { type = "imap", host = server.Host, port = server.ImapPort, security = "none", username = user, password = server.Password },
        });

        var ticket = Assert.Single(await Desk.WaitForTicketsAsync(departmentId, 1));
        Assert.Equal("Hello?", ticket.Str("subject"));
        await Eventually.UntilAsync(() => Desk.MailboxAsync(mailbox.Id()), m => m.StrOrNull("lastError") is null, "the error to clear");
    }
}
