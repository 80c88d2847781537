using Switchboard.Email.IntegrationTests.Infrastructure;

namespace Switchboard.Email.IntegrationTests;

/// <summary><c>ingest-mail --mailbox ADDRESS &lt; message</c>, as a mail server's pipe delivery runs it.</summary>
public sealed class MailPipeTests(SqliteMailDesk desk) : MailDeskTests(desk), IClassFixture<SqliteMailDesk>
{
    [Fact]
    public async Task IngestMail_KnownMailbox_CreatesTicketAndExitsZero()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId)).Str("address");
        var customer = TestMail.NewCustomer();
        var message = TestMail.Bytes(TestMail.Plain(customer, address, "Piped in", "Delivered by the mail server's pipe."));
        using var output = new StringWriter();

        var exit = await MailPipe.RunAsync(Host.Services, ["ingest-mail", "--mailbox", address.ToUpperInvariant()], new MemoryStream(message), output, CancellationToken.None);

        Assert.Equal(MailPipe.Stored, exit);
        var ticket = Assert.Single(await Desk.TicketsAsync(departmentId));
        Assert.Equal("Piped in", ticket.Str("subject"));
        Assert.Equal(customer, ticket.GetProperty("customer").Str("email"));

        // The mail server delivers again (it did not see the exit code): stored once, still success.
        exit = await MailPipe.RunAsync(Host.Services, ["ingest-mail", "--mailbox", address], new MemoryStream(message), output, CancellationToken.None);
        Assert.Equal(MailPipe.Stored, exit);
        Assert.Single(await Desk.TicketsAsync(departmentId));
        Assert.Single(await Desk.MessagesAsync(ticket.Id()));
    }

    [Fact]
    public async Task IngestMail_UnknownMailbox_ExitsWithNoSuchUser()
    {
        var unknown = HelpDesk.NewAddress("nobody");
        using var input = new MemoryStream(TestMail.Bytes(TestMail.Plain(TestMail.NewCustomer(), unknown, "Lost", "Nobody reads this.")));
        using var output = new StringWriter();

        var exit = await MailPipe.RunAsync(Host.Services, ["ingest-mail", "--mailbox", unknown], input, output, CancellationToken.None);

        Assert.Equal(67, exit);
        Assert.Contains(unknown, output.ToString(), StringComparison.Ordinal);
    }
}
