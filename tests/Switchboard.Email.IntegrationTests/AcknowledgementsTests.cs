using MimeKit;
using Switchboard.Email.IntegrationTests.Infrastructure;

namespace Switchboard.Email.IntegrationTests;

/// <summary>
/// The automatic "we received your message" mail: once per new ticket, never to robots, and a few per
/// sender per hour at most. That a mail was NOT sent is known once a later acknowledgement has come through.
/// </summary>
public sealed class AcknowledgementsTests(SqliteMailDesk desk) : MailDeskTests(desk), IClassFixture<SqliteMailDesk>
{
    [Fact]
    public async Task NewTicketByEmail_AutoAcknowledgeOn_CustomerGetsOneAutoReply()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId, Sink.Port, autoAcknowledge: true)).Str("address");
        var customer = TestMail.NewCustomer();

        await DeliverAsync(TestMail.Plain(customer, address, "Lost password", "I cannot sign in any more.", "Casey Customer"));

        var ticket = Assert.Single(await Desk.TicketsAsync(departmentId));
        var ack = await Sink.WaitForAsync(m => m.EnvelopeTo.Contains(customer), "the acknowledgement");
        Assert.Equal("auto-replied", ack.Message.Headers[HeaderId.AutoSubmitted]);
        Assert.Contains($"[#{ticket.Id()}]", ack.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("Casey Customer", ack.Message.TextBody, StringComparison.Ordinal);
        await BarrierAsync(address);
        Assert.Single(Sink.To(customer));

        // Answering the acknowledgement adds to the same ticket.
        await DeliverAsync(TestMail.Reply(customer, address, "Re: " + ack.Message.Subject, "My user name is casey.", ack.Message.MessageId));
        Assert.Single(await Desk.TicketsAsync(departmentId), t => t.GetProperty("customer").Str("email") == customer);
        Assert.Equal("My user name is casey.", (await Desk.MessagesAsync(ticket.Id()))[^1].Str("bodyText"));
    }

    [Fact]
    public async Task AutomaticMail_AutoSubmittedOrBulk_GetsNoAutoReply()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId, Sink.Port, autoAcknowledge: true)).Str("address");
        var robot = TestMail.NewCustomer("robot");
        var newsletter = TestMail.NewCustomer("newsletter");
        var generated = TestMail.Plain(robot, address, "Nightly backup report", "All 12 jobs succeeded.");
        generated.Headers.Add(HeaderId.AutoSubmitted, "auto-generated");
        var bulk = TestMail.Plain(newsletter, address, "Our spring offers", "Save 20% this week.");
        bulk.Headers.Add("Precedence", "bulk");

        await DeliverAsync(generated);
        await DeliverAsync(bulk);

        Assert.Equal(2, (await Desk.TicketsAsync(departmentId)).Count);
        await BarrierAsync(address);
        Assert.Empty(Sink.To(robot));
        Assert.Empty(Sink.To(newsletter));
    }

    [Fact]
    public async Task ManyNewTickets_FromOneSender_AutoRepliesStopAtTheHourlyLimit()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId, Sink.Port, autoAcknowledge: true)).Str("address");
        var sender = TestMail.NewCustomer("prolific");
        var total = EmailHost.AutoRepliesPerSenderPerHour + 2;

        for (var i = 1; i <= total; i++) await DeliverAsync(TestMail.Plain(sender, address, $"Question number {i}", $"This is question {i}."));

        Assert.Equal(total, (await Desk.TicketsAsync(departmentId)).Count);
        await BarrierAsync(address);
        Assert.Equal(EmailHost.AutoRepliesPerSenderPerHour, Sink.To(sender).Count);
        Assert.All(Sink.To(sender), m => Assert.Equal("auto-replied", m.Message.Headers[HeaderId.AutoSubmitted]));
    }

    /// <summary>A new sender's message, whose acknowledgement is queued after everything before it; once it arrives, earlier ones would have too.</summary>
    private async Task BarrierAsync(string address)
    {
        var marker = TestMail.NewCustomer("marker");
        await DeliverAsync(TestMail.Plain(marker, address, "Marker", "Marks the end of the test's mail."));
        await Sink.WaitForAsync(m => m.EnvelopeTo.Contains(marker), "the marker's acknowledgement");
    }
}
