using MailKit;
using Switchboard.Core.Data;
using Switchboard.Email.IntegrationTests.Infrastructure;

namespace Switchboard.Email.IntegrationTests;

/// <summary>
/// Mail waiting on an IMAP server becomes tickets, exactly once, across restarts and crashes. Each
/// test has its own installation, because it stops and starts hosts on it.
/// </summary>
public abstract class MailFetcherTests(DatabaseProvider provider)
{
    [Fact]
    public async Task ImapFetch_WaitingMessages_BecomeTicketsSeenOnServerAndNotDuplicatedByRestart()
    {
        var server = TestMailServer.Current;
        var user = TestMailServer.NewUser();
        var address = HelpDesk.NewAddress();
        var customer = TestMail.NewCustomer();
        var invoice = "%PDF-1.4 invoice 2026-0042 "u8.ToArray().Concat(Enumerable.Range(0, 4000).Select(i => (byte)(i % 251))).ToArray();
        await server.AppendAsync(
            user,
            TestMail.Plain(customer, address, "Printer on fire", "It started smoking after the update.", "Casey Customer"),
            TestMail.Gb2312(TestMail.NewCustomer("wang"), address, "退款申请：订单 8812", "您好，我想申请退款，商品已经退回。"),
            TestMail.WithAttachment(customer, address, "Invoice attached", "Please find the invoice attached.", "invoice-2026-0042.pdf", invoice));

        await using var instance = await EmailInstance.CreateAsync(provider);
        var host = await instance.StartHostAsync();
        long departmentId;
        try
        {
            departmentId = await host.Desk.CreateDepartmentAsync();
            var mailbox = await host.Desk.CreateImapMailboxAsync(user, departmentId, address);

            var tickets = await host.Desk.WaitForTicketsAsync(departmentId, 3);
            Assert.Equal(
                ["Invoice attached", "Printer on fire", "退款申请：订单 8812"],
                tickets.Select(t => t.Str("subject")).Order(StringComparer.Ordinal));
            Assert.All(tickets, t => Assert.Equal("email", t.Str("channel")));
            var english = tickets.Single(t => t.Str("subject") == "Printer on fire");
            Assert.Equal(customer, english.GetProperty("customer").Str("email"));
            Assert.Equal("Casey Customer", english.GetProperty("customer").Str("name"));
            Assert.Contains("It started smoking after the update.", (await host.Desk.MessagesAsync(english.Id())).Single().Str("bodyText"), StringComparison.Ordinal);
            var chinese = tickets.Single(t => t.Str("subject").StartsWith("退款", StringComparison.Ordinal));
            Assert.Contains("您好，我想申请退款，商品已经退回。", (await host.Desk.MessagesAsync(chinese.Id())).Single().Str("bodyText"), StringComparison.Ordinal);
            var withFile = (await host.Desk.MessagesAsync(tickets.Single(t => t.Str("subject") == "Invoice attached").Id())).Single();
            var attachment = Assert.Single(withFile.GetProperty("attachments").EnumerateArray().ToList());
            Assert.Equal("invoice-2026-0042.pdf", attachment.Str("fileName"));
            Assert.Equal(invoice, await host.Admin.GetByteArrayAsync(attachment.Str("url")));

            // The server is told only after the tickets are stored: the messages end up \Seen there.
            await Eventually.UntilAsync(
                () => server.FlagsAsync(user),
                flags => flags.Count == 3 && flags.Values.All(f => f.HasFlag(MessageFlags.Seen)),
                "all three messages to be flagged \\Seen on the IMAP server");
            var status = await host.Desk.MailboxAsync(mailbox.Id());
            Assert.Null(status.StrOrNull("lastError"));
            Assert.True(status.GetProperty("inbound").GetProperty("hasPassword").GetBoolean());
            Assert.DoesNotContain(server.Password, status.GetRawText(), StringComparison.Ordinal);

            // IDLE: a message delivered while the host is connected arrives without waiting for a poll.
            await server.AppendAsync(user, TestMail.Plain(customer, address, "One more thing", "The paper tray is stuck too."));
            await host.Desk.WaitForTicketsAsync(departmentId, 4, TimeSpan.FromSeconds(15));
        }
        finally
        {
            await host.DisposeAsync();
        }

        // A restart reads the same folder again; nothing already stored comes in twice.
        await using var restarted = await instance.StartHostAsync();
        await server.AppendAsync(user, TestMail.Plain(customer, address, "After the restart", "Still there?"));
        var after = await restarted.Desk.WaitForTicketsAsync(departmentId, 5);
        Assert.Equal(
            ["After the restart", "Invoice attached", "One more thing", "Printer on fire", "退款申请：订单 8812"],
            after.Select(t => t.Str("subject")).Order(StringComparer.Ordinal));
        Assert.All(after, t => Assert.Equal(1, t.GetProperty("messageCount").GetInt32()));
    }

    [Fact]
    public async Task ImapFetch_SameFileInTwoMailsOfOneBatch_BothDownloadItAndItIsKeptOnce()
    {
        var server = TestMailServer.Current;
        var user = TestMailServer.NewUser();
        var address = HelpDesk.NewAddress();
        var form = "Kasunduan sa pag-upa 2026 "u8.ToArray().Concat(Enumerable.Range(0, 3000).Select(i => (byte)(i % 241))).ToArray();
        await server.AppendAsync(
            user,
            TestMail.WithAttachment(TestMail.NewCustomer("maria"), address, "Pirmadong kasunduan", "Narito po ang pirmadong kasunduan.", "kasunduan.pdf", form),
            TestMail.WithAttachment(TestMail.NewCustomer("li"), address, "合同已签", "附件是签好的合同。", "合同.pdf", form));

        await using var instance = await EmailInstance.CreateAsync(provider);
        await using var host = await instance.StartHostAsync();
        var departmentId = await host.Desk.CreateDepartmentAsync();
        await host.Desk.CreateImapMailboxAsync(user, departmentId, address);

        var tickets = await host.Desk.WaitForTicketsAsync(departmentId, 2);
        foreach (var (subject, fileName) in new[] { ("Pirmadong kasunduan", "kasunduan.pdf"), ("合同已签", "合同.pdf") })
        {
            var message = (await host.Desk.MessagesAsync(tickets.Single(t => t.Str("subject") == subject).Id())).Single();
            var attachment = Assert.Single(message.GetProperty("attachments").EnumerateArray().ToList());
            Assert.Equal(fileName, attachment.Str("fileName"));
            Assert.Equal(form, await host.Admin.GetByteArrayAsync(attachment.Str("url")));
        }
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(form));
        Assert.Single(Directory.EnumerateFiles(instance.DataDirectory, sha, SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ImapFetch_HostStoppedMidBatch_EveryMessageBecomesExactlyOneTicketEntry()
    {
        const int count = 30;
        var server = TestMailServer.Current;
        var user = TestMailServer.NewUser("crash");
        var address = HelpDesk.NewAddress();
        var padding = new byte[120 * 1024];
        Random.Shared.NextBytes(padding);
        var subjects = Enumerable.Range(1, count).Select(i => $"Batch message {i:00}").ToList();
        await server.AppendAsync(user, subjects
            .Select(s => TestMail.WithAttachment(TestMail.NewCustomer(), address, s, s + " body", "scan.bin", padding, "application/octet-stream"))
            .ToArray());

        await using var instance = await EmailInstance.CreateAsync(provider);
        var host = await instance.StartHostAsync();
        long departmentId;
        int storedBeforeStop;
        try
        {
            departmentId = await host.Desk.CreateDepartmentAsync();
            await host.Desk.CreateImapMailboxAsync(user, departmentId, address);
            storedBeforeStop = await FirstTicketsAsync(host.Desk, departmentId);
        }
        finally
        {
            // Stops the host while the fetcher is in the middle of the batch.
            await host.DisposeAsync();
        }
        var seenAtStop = (await server.FlagsAsync(user)).Values.Count(f => f.HasFlag(MessageFlags.Seen));
        Assert.True(seenAtStop < count, $"All {count} messages were taken before the host stopped (the first ticket showed at {storedBeforeStop}); the test did not interrupt the batch.");

        await using var restarted = await instance.StartHostAsync();
        var tickets = await restarted.Desk.WaitForTicketsAsync(departmentId, count);
        // A message after the batch: once it is in, the fetcher has been through the batch again.
        await server.AppendAsync(user, TestMail.Plain(TestMail.NewCustomer(), address, "After the batch", "Last one."));
        tickets = await restarted.Desk.WaitForTicketsAsync(departmentId, count + 1);

        Assert.Equal(subjects.Append("After the batch").Order(StringComparer.Ordinal), tickets.Select(t => t.Str("subject")).Order(StringComparer.Ordinal));
        foreach (var ticket in tickets)
        {
            Assert.Equal(1, ticket.GetProperty("messageCount").GetInt32());
            Assert.Single(await restarted.Desk.MessagesAsync(ticket.Id()));
        }
        await Eventually.UntilAsync(
            () => server.FlagsAsync(user),
            flags => flags.Count == count + 1 && flags.Values.All(f => f.HasFlag(MessageFlags.Seen)),
            "every message to be flagged \\Seen on the IMAP server");
    }

    /// <summary>Looks as often as it can, so that the host is stopped right after the first ticket of a batch.</summary>
    private static async Task<int> FirstTicketsAsync(HelpDesk desk, long departmentId)
    {
        var deadline = DateTime.UtcNow + Eventually.DefaultTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var count = (await desk.TicketsAsync(departmentId)).Count;
            if (count > 0) return count;
            await Task.Delay(10);
        }
        Assert.Fail("No ticket of the batch arrived.");
        return 0;
    }

    [Fact]
    public async Task Pop3Fetch_WaitingMessages_BecomeTicketsAndAreRemovedFromTheServer()
    {
        var server = TestMailServer.Current;
        var user = TestMailServer.NewUser("pop");
        var address = HelpDesk.NewAddress();
        await server.AppendAsync(
            user,
            TestMail.Plain(TestMail.NewCustomer(), address, "Dead pixel", "There is a dead pixel in the top left corner."),
            TestMail.Plain(TestMail.NewCustomer(), address, "Screen flickers", "Only when the brightness is low."));

        await using var instance = await EmailInstance.CreateAsync(provider);
        await using var host = await instance.StartHostAsync();
        var departmentId = await host.Desk.CreateDepartmentAsync();
        await host.Desk.CreatePop3MailboxAsync(user, departmentId, address);

        var tickets = await host.Desk.WaitForTicketsAsync(departmentId, 2);
        Assert.Equal(["Dead pixel", "Screen flickers"], tickets.Select(t => t.Str("subject")).Order(StringComparer.Ordinal));
        // POP3 has no flags: a message is deleted once its ticket is stored.
        await Eventually.UntilAsync(() => server.FlagsAsync(user), flags => flags.Count == 0, "the POP3 mailbox to be emptied");

        await server.AppendAsync(user, TestMail.Plain(TestMail.NewCustomer(), address, "Also the speakers", "They crackle."));
        tickets = await host.Desk.WaitForTicketsAsync(departmentId, 3);
        Assert.All(tickets, t => Assert.Equal(1, t.GetProperty("messageCount").GetInt32()));
    }
}

public sealed class MailFetcherTests_Sqlite() : MailFetcherTests(DatabaseProvider.Sqlite);

public sealed class MailFetcherTests_Postgres() : MailFetcherTests(DatabaseProvider.Postgres);
