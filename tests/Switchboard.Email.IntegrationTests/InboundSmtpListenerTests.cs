using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using Switchboard.Email.IntegrationTests.Infrastructure;

namespace Switchboard.Email.IntegrationTests;

/// <summary>Switchboard's own SMTP receiver: mail for its mailboxes only, within the size limit, acknowledged once stored.</summary>
public sealed class InboundSmtpListenerTests(SqliteMailDesk desk) : MailDeskTests(desk), IClassFixture<SqliteMailDesk>
{
    [Fact]
    public async Task Send_ToSmtpMailbox_TicketExistsOnceTheServerAccepted()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId)).Str("address");
        var customer = TestMail.NewCustomer();

        // The line starting with a dot travels dot-stuffed in SMTP and must arrive as written.
        const string body = "I ordered a medium and got a small.\n.. and the colour is wrong too.";

        await DeliverAsync(TestMail.Plain(customer, address, "Wrong size delivered", body, "Sam Sender"));

        // 250 is given only after the ticket is stored, so it is there without waiting.
        var ticket = Assert.Single(await Desk.TicketsAsync(departmentId));
        Assert.Equal("Wrong size delivered", ticket.Str("subject"));
        Assert.Equal(customer, ticket.GetProperty("customer").Str("email"));
        Assert.Equal("Sam Sender", ticket.GetProperty("customer").Str("name"));
        Assert.Equal(body, Assert.Single(await Desk.MessagesAsync(ticket.Id())).Str("bodyText").ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Send_SameMessageTwice_OneTicketEntry()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId)).Str("address");
        var message = TestMail.Plain(TestMail.NewCustomer(), address, "Sent twice", "My mail program retried after a time-out.");

        await DeliverAsync(message);
        await DeliverAsync(message);

        var ticket = Assert.Single(await Desk.TicketsAsync(departmentId));
        Assert.Single(await Desk.MessagesAsync(ticket.Id()));
    }

    [Fact]
    public async Task Send_ToUnknownOrForeignAddress_RecipientRefused()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        await Desk.CreateSmtpMailboxAsync(departmentId);
        using var client = new SmtpClient { Timeout = 30_000 };
        await client.ConnectAsync("127.0.0.1", Host.InboundSmtpPort, SecureSocketOptions.None);

        foreach (var recipient in new[] { HelpDesk.NewAddress("nobody"), "someone@elsewhere.example" })
        {
            var refused = await Assert.ThrowsAsync<SmtpCommandException>(() =>
                client.SendAsync(TestMail.Plain(TestMail.NewCustomer(), recipient, "Relay this", "Please pass it on.")));
            Assert.Equal(SmtpErrorCode.RecipientNotAccepted, refused.ErrorCode);
        }

        await client.DisconnectAsync(true);
        Assert.Empty(await Desk.TicketsAsync(departmentId));
    }

    [Fact]
    public async Task Send_LargerThanTheLimit_Refused()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId)).Str("address");
        var customer = TestMail.NewCustomer();
        var huge = TestMail.Bytes(TestMail.WithAttachment(
            customer, address, "Holiday photos", "All of them.", "photos.zip", new byte[EmailHost.MaxMessageBytes], "application/zip"));

        // A sender that announces the size is refused at MAIL FROM …
        await using (var smtp = await RawSmtp.ConnectAsync(Host.InboundSmtpPort))
        {
            Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example.test"), StringComparison.Ordinal);
            var reply = await smtp.CommandAsync(string.Create(CultureInfo.InvariantCulture, $"MAIL FROM:<{customer}> SIZE={huge.Length}"));
            Assert.StartsWith("5", reply, StringComparison.Ordinal);
        }

        // … and one that does not, when the data goes past the limit.
        await using (var smtp = await RawSmtp.ConnectAsync(Host.InboundSmtpPort))
        {
            Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.example.test"), StringComparison.Ordinal);
            Assert.StartsWith("250", await smtp.CommandAsync($"MAIL FROM:<{customer}>"), StringComparison.Ordinal);
            Assert.StartsWith("250", await smtp.CommandAsync($"RCPT TO:<{address}>"), StringComparison.Ordinal);
            Assert.StartsWith("354", await smtp.CommandAsync("DATA"), StringComparison.Ordinal);
            Assert.StartsWith("5", await smtp.DataAsync(huge), StringComparison.Ordinal);
        }

        Assert.Empty(await Desk.TicketsAsync(departmentId));
    }
}
