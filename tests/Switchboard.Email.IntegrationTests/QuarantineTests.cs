using System.Net;
using System.Text;
using MailKit;
using Switchboard.Email.IntegrationTests.Infrastructure;

namespace Switchboard.Email.IntegrationTests;

/// <summary>Mail that cannot become a ticket is listed for an administrator with the reason, and does not hold up the mail after it.</summary>
public sealed class QuarantineTests(SqliteMailDesk desk) : MailDeskTests(desk), IClassFixture<SqliteMailDesk>
{
    [Fact]
    public async Task ImapFetch_UnreadableAndOversizedMessages_QuarantinedWithReasonAndLaterMailStillArrives()
    {
        var server = TestMailServer.Current;
        var user = TestMailServer.NewUser("quarantine");
        var address = HelpDesk.NewAddress();
        var customer = TestMail.NewCustomer();
        var garbage = Encoding.ASCII.GetBytes("\u0001\u0002 this is not an email at all\r\n\r\n\u0003\u0004\r\n");
        await server.AppendRawAsync(user, garbage);
        await server.AppendAsync(user, TestMail.WithAttachment(
            customer, address, "Scanned contract", "See the scan.", "contract.tiff", new byte[EmailHost.MaxMessageBytes + 1024], "image/tiff"));
        await server.AppendAsync(user, TestMail.Plain(customer, address, "Did you get my scan?", "I sent it a minute ago."));

        var departmentId = await Desk.CreateDepartmentAsync();
        var mailbox = await Desk.CreateImapMailboxAsync(user, departmentId, address);

        var ticket = Assert.Single(await Desk.WaitForTicketsAsync(departmentId, 1));
        Assert.Equal("Did you get my scan?", ticket.Str("subject"));
        var quarantined = await Eventually.UntilAsync(
            async () => (await Desk.QuarantineAsync()).Where(q => q.GetProperty("mailboxId").GetInt64() == mailbox.Id()).ToList(),
            q => q.Count == 2,
            "two quarantined messages of the mailbox");
        Assert.All(quarantined, q => Assert.False(string.IsNullOrWhiteSpace(q.StrOrNull("reason"))));
        Assert.All(quarantined, q => Assert.Equal("imap", q.Str("source")));

        var tooLarge = quarantined.Single(q => q.Str("reason").Contains("larger than the limit", StringComparison.Ordinal));
        Assert.True(tooLarge.GetProperty("size").GetInt64() > EmailHost.MaxMessageBytes);
        // Too large to take: it stays on the mail server, and there is no copy to download.
        Assert.Equal(HttpStatusCode.Gone, (await Host.Admin.GetAsync(tooLarge.Str("rawUrl"))).StatusCode);

        var unreadable = quarantined.Single(q => q.Id() != tooLarge.Id());
        Assert.Contains("not a parseable email message", unreadable.Str("reason"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(garbage, await Host.Admin.GetByteArrayAsync(unreadable.Str("rawUrl")));

        var flags = await server.FlagsAsync(user);
        Assert.True(flags.Values.Last().HasFlag(MessageFlags.Seen), "the message that became a ticket is flagged \\Seen");
    }
}
