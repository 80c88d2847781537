using Switchboard.Email.IntegrationTests.Infrastructure;

namespace Switchboard.Email.IntegrationTests;

/// <summary>A delivery failure report for one of our replies marks that reply failed instead of opening a ticket.</summary>
public sealed class BounceTests(SqliteMailDesk desk) : MailDeskTests(desk), IClassFixture<SqliteMailDesk>
{
    [Fact]
    public async Task DeliveryStatusReport_ForOurReply_MarksReplyFailedAndOpensNoTicket()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId, Sink.Port)).Str("address");
        var customer = TestMail.NewCustomer();
        await DeliverAsync(TestMail.Plain(customer, address, "Warranty claim", "My kettle stopped working."));
        var ticket = Assert.Single(await Desk.TicketsAsync(departmentId));
        var reply = await Desk.ReplyAsync(ticket.Id(), "Please send us a photo of the label.");
        var sent = await Sink.WaitForAsync(m => m.EnvelopeTo.Contains(customer), "the reply to go out");
        await Desk.WaitForDeliveryAsync(ticket.Id(), reply.Id(), "sent");

        await DeliverAsync(TestMail.Bounce(sent.Message, customer, address));

        var failed = await Desk.WaitForDeliveryAsync(ticket.Id(), reply.Id(), "failed", TimeSpan.FromSeconds(5));
        Assert.Contains(customer, failed.Str("deliveryError"), StringComparison.Ordinal);
        Assert.Single(await Desk.TicketsAsync(departmentId));
        Assert.Equal(2, (await Desk.MessagesAsync(ticket.Id())).Count);
    }
}
