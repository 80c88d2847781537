using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MailKit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Email.IntegrationTests.Infrastructure;

namespace Switchboard.Email.IntegrationTests;

/// <summary>
/// Mail waiting on the IMAP server is fetched and stored in batches, one transaction each. Each test
/// puts all its messages on the server before the mailbox is added, so that one fetch takes them
/// together, and checks what the agent sees: one entry per message, threads that hold inside a batch,
/// and bad mail in the quarantine without holding up the rest.
/// </summary>
public abstract class BatchIngestionTests(MailDeskFixture fixture) : MailDeskTests(fixture)
{
    [Fact]
    public async Task ImapFetch_OriginalReplyAndCopyInOneBatch_ReplyJoinsTheNewTicketAndTheCopyAddsNothing()
    {
        var server = TestMailServer.Current;
        var user = TestMailServer.NewUser("batch");
        var address = HelpDesk.NewAddress();
        var customer = TestMail.NewCustomer("maria");
        var original = TestMail.Plain(customer, address, "Pagbabalik ng bayad 退款", "Gusto kong ibalik ang order 4410. 我想退货。", "Maria Santos");
        var reply = TestMail.Reply(customer, address, "Re: Pagbabalik ng bayad 退款", "Nakalimutan ko: 订单号 4410, salamat.", original.MessageId);
        var other = TestMail.Plain(TestMail.NewCustomer(), address, "Wrong size", "The shoes are a size too small.");
        // The mail server hands over the same message twice (a second delivery of the original).
        await server.AppendAsync(user, original, reply, original, other);

        var departmentId = await Desk.CreateDepartmentAsync();
        await Desk.CreateImapMailboxAsync(user, departmentId, address);

        var tickets = await Desk.WaitForTicketsAsync(departmentId, 2);
        await Eventually.UntilAsync(() => server.FlagsAsync(user), flags => flags.Count == 4 && flags.Values.All(f => f.HasFlag(MessageFlags.Seen)),
            "all four messages, the copy too, to be flagged \\Seen");
        tickets = await Desk.TicketsAsync(departmentId);
        Assert.Equal(2, tickets.Count);
        var thread = tickets.Single(t => t.Str("subject") == "Pagbabalik ng bayad 退款");
        Assert.Equal(2, thread.GetProperty("messageCount").GetInt32());
        var messages = await Desk.MessagesAsync(thread.Id());
        Assert.Equal(["Gusto kong ibalik ang order 4410. 我想退货。", "Nakalimutan ko: 订单号 4410, salamat."], messages.Select(m => m.Str("bodyText")));
        var reason = messages[1].Str("threadingReason");
        Assert.Contains($"<{original.MessageId}>", reason, StringComparison.Ordinal);
        Assert.Contains($"[#{thread.Id()}]", reason, StringComparison.Ordinal);
        Assert.Equal("Maria Santos", thread.GetProperty("customer").Str("name"));

        // A later fetch threads by what the batch stored.
        await server.AppendAsync(user, TestMail.Reply(customer, address, "Re: Re: Pagbabalik ng bayad 退款", "Natanggap ko na. 收到了。", reply.MessageId));
        await Eventually.UntilAsync(() => Desk.MessagesAsync(thread.Id()), m => m.Count == 3, "the later reply to join the ticket");
        Assert.Equal(2, (await Desk.TicketsAsync(departmentId)).Count);
    }

    [Fact]
    public async Task ImapFetch_CustomerRepliesAfterTheAgent_TheNextResponseClockStarts()
    {
        var server = TestMailServer.Current;
        var user = TestMailServer.NewUser("clock");
        var address = HelpDesk.NewAddress();
        var customer = TestMail.NewCustomer("jose");
        var original = TestMail.Plain(customer, address, "Hindi dumating ang order 未收到", "Wala pa rin ang order 5520. 订单还没到。", "Jose Reyes");
        await server.AppendAsync(user, original);
        var departmentId = await Desk.CreateDepartmentAsync();
        await Desk.CreateSlaPolicyAsync(departmentId);
        await Desk.CreateImapMailboxAsync(user, departmentId, address);
        var ticket = (await Desk.WaitForTicketsAsync(departmentId, 1)).Single();
        Assert.NotEqual(JsonValueKind.Null, (await Desk.TicketAsync(ticket.Id())).GetProperty("firstResponseDueAt").ValueKind);

        await Desk.ReplyAsync(ticket.Id(), "We are checking with the courier. 我们正在查询。");
        Assert.Equal(JsonValueKind.Null, (await Desk.TicketAsync(ticket.Id())).GetProperty("nextResponseDueAt").ValueKind);

        // Stored in a later batch, on a ticket read from the database: the due time set while saving is saved too.
        await server.AppendAsync(user, TestMail.Reply(customer, address, "Re: Hindi dumating ang order 未收到", "Salamat, hihintayin ko. 谢谢。", original.MessageId));
        await Eventually.UntilAsync(() => Desk.MessagesAsync(ticket.Id()), m => m.Count == 3, "the customer's reply to join the ticket");
        Assert.NotEqual(JsonValueKind.Null, (await Desk.TicketAsync(ticket.Id())).GetProperty("nextResponseDueAt").ValueKind);
    }

    [Fact]
    public async Task ImapFetch_NewTicketsInOneBatch_EachRunsItsPolicysClocks()
    {
        var server = TestMailServer.Current;
        var user = TestMailServer.NewUser("opened");
        var address = HelpDesk.NewAddress();
        await server.AppendAsync(user,
            TestMail.Plain(TestMail.NewCustomer("ann"), address, "Order never arrived", "Order 5521 is two weeks late.", "Ann Lee"),
            TestMail.Plain(TestMail.NewCustomer("tala"), address, "Hindi dumating ang order", "Dalawang linggo na ang order 5522.", "Tala Cruz"),
            TestMail.Plain(TestMail.NewCustomer("wei"), address, "订单没有到", "订单 5523 已经晚了两周。", "王伟"));
        var departmentId = await Desk.CreateDepartmentAsync();
        await Desk.CreateSlaPolicyAsync(departmentId);
        await Desk.CreateImapMailboxAsync(user, departmentId, address);

        var tickets = await Desk.WaitForTicketsAsync(departmentId, 3);

        Assert.Equal(["Hindi dumating ang order", "Order never arrived", "订单没有到"], tickets.Select(t => t.Str("subject")).Order(StringComparer.Ordinal));
        foreach (var listed in tickets)
        {
            var ticket = await Desk.TicketAsync(listed.Id());
            Assert.Equal("new", ticket.Str("status"));
            Assert.Equal(1, ticket.GetProperty("messageCount").GetInt32());
            // The policy's 60 minutes from when the batch stored it (a 24-hour calendar).
            var wait = ticket.GetProperty("firstResponseDueAt").GetDateTimeOffset() - ticket.GetProperty("createdAt").GetDateTimeOffset();
            Assert.InRange(wait, TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(60) + TimeSpan.FromSeconds(10));
        }
        // The clock is running: the overdue list would show them in an hour, the agent's reply stops it.
        var first = tickets[0].Id();
        await Desk.ReplyAsync(first, "We are looking into it. 我们正在查。");
        Assert.Equal(JsonValueKind.Null, (await Desk.TicketAsync(first)).GetProperty("firstResponseDueAt").ValueKind);
    }

    [Fact]
    public async Task ImapFetch_TwoRepliesToAResolvedTicket_HistoryShowsTheReopeningBetweenThemInTheOrderItHappened()
    {
        var server = TestMailServer.Current;
        var user = TestMailServer.NewUser("reopen");
        var address = HelpDesk.NewAddress();
        var customer = TestMail.NewCustomer("tala");
        var original = TestMail.Plain(customer, address, "Maling kulay 颜色不对", "Asul ang inorder ko, pula ang dumating. 我订的是蓝色。", "Tala Bautista");
        await server.AppendAsync(user, original);
        var departmentId = await Desk.CreateDepartmentAsync();
        await Desk.CreateImapMailboxAsync(user, departmentId, address);
        var ticket = (await Desk.WaitForTicketsAsync(departmentId, 1)).Single();
        await Desk.SetStatusAsync(ticket.Id(), "resolved");

        await server.AppendAsync(user,
            TestMail.Reply(customer, address, "Re: Maling kulay 颜色不对", "Hindi pa rin naaayos. 还没解决。", original.MessageId),
            TestMail.Reply(customer, address, "Re: Maling kulay 颜色不对", "Pakipalitan po. 请换货。", original.MessageId));
        await Eventually.UntilAsync(() => Desk.MessagesAsync(ticket.Id()), m => m.Count == 3, "both replies to join the ticket");

        Assert.Equal("open", (await Desk.TicketAsync(ticket.Id())).Str("status"));
        var history = (await Host.Admin.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/tickets/{ticket.Id()}/events"))
            .ShouldBeAsync(HttpStatusCode.OK)).Items();
        Assert.Equal(["customer_replied", "status_changed", "customer_replied"], history.TakeLast(3).Select(e => e.Str("type")));
        var reopened = history[^2];
        Assert.Equal(("resolved", "open"), (reopened.Str("oldValue"), reopened.Str("newValue")));
        Assert.Equal("Tala Bautista", reopened.Str("actorName"));
    }

    [Fact]
    public async Task ImapFetch_ConversationOfThreeInOneBatch_AllJoinTheNewTicketAndEachReasonGivesItsNumber()
    {
        var server = TestMailServer.Current;
        var user = TestMailServer.NewUser("chain");
        var address = HelpDesk.NewAddress();
        var customer = TestMail.NewCustomer("li");
        var original = TestMail.Plain(customer, address, "发票 invoice", "请重新开具发票。Please reissue the invoice.", "Li Wei");
        var reply = TestMail.Reply(customer, address, "Re: 发票 invoice", "Ang numero ng order ay 7781.", original.MessageId);
        // Refers only to the reply, which is itself only in this batch.
        var again = TestMail.Reply(customer, address, "Re: Re: 发票 invoice", "Any news? 有消息吗？", reply.MessageId);
        var other = TestMail.Plain(TestMail.NewCustomer(), address, "Login problem", "I cannot sign in since this morning.");
        await server.AppendAsync(user, original, reply, again, other);

        var departmentId = await Desk.CreateDepartmentAsync();
        await Desk.CreateImapMailboxAsync(user, departmentId, address);

        await Desk.WaitForTicketsAsync(departmentId, 2);
        await Eventually.UntilAsync(() => server.FlagsAsync(user), flags => flags.Count == 4 && flags.Values.All(f => f.HasFlag(MessageFlags.Seen)),
            "all four messages to be flagged \\Seen");
        var tickets = await Desk.TicketsAsync(departmentId);
        Assert.Equal(2, tickets.Count);
        var thread = tickets.Single(t => t.Str("subject") == "发票 invoice");
        var messages = await Desk.MessagesAsync(thread.Id());
        Assert.Equal(["请重新开具发票。Please reissue the invoice.", "Ang numero ng order ay 7781.", "Any news? 有消息吗？"], messages.Select(m => m.Str("bodyText")));
        Assert.Contains($"<{original.MessageId}>", messages[1].Str("threadingReason"), StringComparison.Ordinal);
        Assert.Contains($"<{reply.MessageId}>", messages[2].Str("threadingReason"), StringComparison.Ordinal);
        Assert.All(messages.Skip(1), m => Assert.Contains($"[#{thread.Id()}]", m.Str("threadingReason"), StringComparison.Ordinal));
        Assert.All(messages.Skip(1), m => Assert.DoesNotContain("[#0]", m.Str("threadingReason"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImapFetch_BatchInThreeScripts_SearchHistoryAndTheLiveFeedShowEveryMessage()
    {
        var server = TestMailServer.Current;
        var user = TestMailServer.NewUser("written");
        var address = HelpDesk.NewAddress();
        var word = "parcel" + Guid.NewGuid().ToString("N")[..8];
        var english = TestMail.Plain(TestMail.NewCustomer("ann"), address, "Damaged parcel", $"The {word} arrived broken.", "Ann Lee");
        var filipino = TestMail.Plain(TestMail.NewCustomer("rosa"), address, "Sirang kahon", "Pakisuri ang aking padala, sira ang kahon.", "Rosa Cruz");
        var chineseCustomer = TestMail.NewCustomer("wang");
        var chinese = TestMail.Plain(chineseCustomer, address, "包裹破损", "我的包裹到了，但是鹦鹉螺模型坏了。", "王芳");
        var reply = TestMail.Reply(chineseCustomer, address, "Re: 包裹破损", "补充：盒子也湿了。", chinese.MessageId);

        var changes = new List<Tickets.TicketChanged>();
        using var listening = Host.Services.GetRequiredService<Tickets.TicketFeed>().Subscribe(change =>
        {
            lock (changes) changes.Add(change);
            return Task.CompletedTask;
        });
        await server.AppendAsync(user, english, filipino, chinese, reply);
        var departmentId = await Desk.CreateDepartmentAsync();
        await Desk.CreateImapMailboxAsync(user, departmentId, address);
        await Desk.WaitForTicketsAsync(departmentId, 3);
        await Eventually.UntilAsync(() => server.FlagsAsync(user), flags => flags.Count == 4 && flags.Values.All(f => f.HasFlag(MessageFlags.Seen)),
            "all four messages to be flagged \\Seen");
        var tickets = (await Desk.TicketsAsync(departmentId)).ToDictionary(t => t.Str("subject"), t => t.Id());
        Assert.Equal(["Damaged parcel", "Sirang kahon", "包裹破损"], tickets.Keys.Order(StringComparer.Ordinal));

        // Search finds each message by a word of its text, in every script, the reply's too.
        foreach (var (query, subject) in new[] { (word, "Damaged parcel"), ("pakisuri", "Sirang kahon"), ("鹦鹉螺", "包裹破损"), ("湿了", "包裹破损") })
        {
            var found = (await Host.Admin.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/tickets?departmentId={departmentId}&q={Uri.EscapeDataString(query)}"))
                .ShouldBeAsync(HttpStatusCode.OK)).Items();
            Assert.Equal([tickets[subject]], found.Select(t => t.Id()));
        }

        // The history shows who opened each ticket and the customer's reply.
        var history = (await Host.Admin.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/tickets/{tickets["包裹破损"]}/events"))
            .ShouldBeAsync(HttpStatusCode.OK)).Items();
        Assert.Equal(["created", "customer_replied"], history.Select(e => e.Str("type")));
        Assert.All(history, e => Assert.Equal("王芳", e.Str("actorName")));

        // An agent with the inbox open heard of every new ticket and of the reply.
        var heard = await Eventually.UntilAsync(
            () => { lock (changes) return Task.FromResult(changes.Where(c => tickets.ContainsValue(c.TicketId)).ToList()); },
            c => c.Select(x => x.TicketId).Distinct().Count() == 3,
            "the live feed to tell of the three tickets");
        Assert.Equal(["created", "customer_replied"], heard.Where(c => c.TicketId == tickets["包裹破损"]).SelectMany(c => c.Types));
        Assert.All(heard, c => Assert.Equal(departmentId, c.DepartmentId));
        Assert.Equal("Sirang kahon", heard.Single(c => c.TicketId == tickets["Sirang kahon"]).Subject);
    }

    [Fact]
    public async Task ImapFetch_NewTicketMatchingARule_TheRuleFiresOnIt()
    {
        var server = TestMailServer.Current;
        var user = TestMailServer.NewUser("rule");
        var address = HelpDesk.NewAddress();
        var word = "outage" + Guid.NewGuid().ToString("N")[..8];
        await Host.Admin.PostAsJsonAsync("/api/v1/automation/rules", new
        {
            name = "Urgent " + word,
            trigger = "ticket_created",
            conditions = new { all = new[] { new { field = "ticket.subject", op = "contains", value = word } } },
            actions = new[] { new { type = "set_priority", value = "urgent" } },
        }).ShouldBeAsync(HttpStatusCode.Created);
        await server.AppendAsync(user,
            TestMail.Plain(TestMail.NewCustomer(), address, $"Site down {word}", "Hindi mabuksan ang site. 网站打不开。"),
            TestMail.Plain(TestMail.NewCustomer(), address, "A question", "When do you open?"));

        var departmentId = await Desk.CreateDepartmentAsync();
        await Desk.CreateImapMailboxAsync(user, departmentId, address);
        await Desk.WaitForTicketsAsync(departmentId, 2);

        var tickets = await Eventually.UntilAsync(() => Desk.TicketsAsync(departmentId),
            t => t.Any(x => x.Str("priority") == "urgent"), "the rule to make the matching ticket urgent");
        Assert.Equal("urgent", tickets.Single(t => t.Str("subject") == $"Site down {word}").Str("priority"));
        Assert.Equal("normal", tickets.Single(t => t.Str("subject") == "A question").Str("priority"));
    }

    [Fact]
    public async Task ImapFetch_UnreadableMessageInBatch_QuarantinedAndTheOthersBecomeTickets()
    {
        var server = TestMailServer.Current;
        var user = TestMailServer.NewUser("batchbad");
        var address = HelpDesk.NewAddress();
        await server.AppendAsync(user, TestMail.Plain(TestMail.NewCustomer(), address, "Before the bad one", "First."));
        var garbage = Encoding.ASCII.GetBytes("\u0001\u0002 not a message\r\n\r\n\u0003\r\n");
        await server.AppendRawAsync(user, garbage);
        await server.AppendAsync(user, TestMail.Plain(TestMail.NewCustomer(), address, "After the bad one", "Second."));

        var departmentId = await Desk.CreateDepartmentAsync();
        var mailbox = await Desk.CreateImapMailboxAsync(user, departmentId, address);

        var tickets = await Desk.WaitForTicketsAsync(departmentId, 2);
        Assert.Equal(["After the bad one", "Before the bad one"], tickets.Select(t => t.Str("subject")).Order(StringComparer.Ordinal));
        var quarantined = Assert.Single(await Desk.QuarantineAsync(), q => q.GetProperty("mailboxId").GetInt64() == mailbox.Id());
        Assert.Contains("not a parseable email message", quarantined.Str("reason"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(garbage, await Host.Admin.GetByteArrayAsync(quarantined.Str("rawUrl")));
        await Eventually.UntilAsync(() => server.FlagsAsync(user), flags => flags.Count == 3 && flags.Values.All(f => f.HasFlag(MessageFlags.Seen)),
            "every message, the quarantined one too, to be flagged \\Seen");
    }

    [Fact]
    public async Task ImapFetch_MessageThatCannotBeStored_QuarantinedAndTheRestOfItsBatchArrives()
    {
        var server = TestMailServer.Current;
        var user = TestMailServer.NewUser("batchfault");
        var address = HelpDesk.NewAddress();
        var poison = TestMail.Plain(TestMail.NewCustomer(), address, "Cannot be stored", $"This one fails: {FaultyStorage.Marker}");
        await server.AppendAsync(
            user,
            TestMail.Plain(TestMail.NewCustomer(), address, "Stored before", "Ako ang una."),
            poison,
            TestMail.Plain(TestMail.NewCustomer(), address, "Stored after", "我是最后一个。"));

        var departmentId = await Desk.CreateDepartmentAsync();
        var mailbox = await Desk.CreateImapMailboxAsync(user, departmentId, address);

        var tickets = await Desk.WaitForTicketsAsync(departmentId, 2);
        Assert.Equal(["Stored after", "Stored before"], tickets.Select(t => t.Str("subject")).Order(StringComparer.Ordinal));
        var quarantined = await Eventually.UntilAsync(
            async () => (await Desk.QuarantineAsync()).Where(q => q.GetProperty("mailboxId").GetInt64() == mailbox.Id()).ToList(),
            q => q.Count == 1,
            "the message that cannot be stored to be quarantined");
        Assert.Equal("Cannot be stored", quarantined[0].Str("subject"));
        Assert.Contains("could not store", quarantined[0].Str("reason"), StringComparison.Ordinal);
        Assert.Contains(FaultyStorage.Marker, await Host.Admin.GetStringAsync(new Uri(quarantined[0].Str("rawUrl"), UriKind.Relative)), StringComparison.Ordinal);
        await Eventually.UntilAsync(() => server.FlagsAsync(user), flags => flags.Count == 3 && flags.Values.All(f => f.HasFlag(MessageFlags.Seen)),
            "all three messages to be flagged \\Seen");

        // The mailbox is not stuck on it.
        await server.AppendAsync(user, TestMail.Plain(TestMail.NewCustomer(), address, "Next day", "Still flowing."));
        await Desk.WaitForTicketsAsync(departmentId, 3);
    }
}

/// <summary>A database that refuses to store any message whose text carries <see cref="Marker"/>, as a fault that only one message meets.</summary>
public sealed class FaultyStorage : SaveChangesInterceptor
{
    public const string Marker = "[refused-by-the-database]";

    public static void AddTo(IServiceCollection services) => services.AddSingleton<IInterceptor, FaultyStorage>();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        // A batch of mail announces the messages it writes as plain rows to its save: refused there as well.
        if (eventData.Context is { } context && context.ChangeTracker.Entries<Message>()
            .Where(e => e.State == EntityState.Added).Select(e => e.Entity).Concat(PlainRows.AnnouncedMessages(context))
            .Any(m => m.BodyText.Contains(Marker, StringComparison.Ordinal)))
        {
            throw new DbUpdateException("The database refused the row.");
        }
        return ValueTask.FromResult(result);
    }
}

public sealed class SqliteBatchMailDesk() : MailDeskFixture(DatabaseProvider.Sqlite, services: FaultyStorage.AddTo);

public sealed class PostgresBatchMailDesk() : MailDeskFixture(DatabaseProvider.Postgres, services: FaultyStorage.AddTo);

public sealed class BatchIngestionTests_Sqlite(SqliteBatchMailDesk desk) : BatchIngestionTests(desk), IClassFixture<SqliteBatchMailDesk>;

public sealed class BatchIngestionTests_Postgres(PostgresBatchMailDesk desk) : BatchIngestionTests(desk), IClassFixture<PostgresBatchMailDesk>;
