using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Chat;
using Switchboard.Host.Tests.Infrastructure;
using Switchboard.Host.Tests.Nodes;
using Switchboard.Tickets;

namespace Switchboard.Host.Tests.Chat;

/// <summary>Live chat through the real hubs and API: visitor and agent connections, routing, exactly-once lines.</summary>
public abstract class ChatTests(SwitchboardFactory factory) : ApiTests(factory)
{
    private async Task<(Widget Widget, long Department, Agent Agent)> SetUpAsync(object? widgetSettings = null)
    {
        var department = await CreateDepartmentAsync();
        var widget = await ChatKit.CreateWidgetAsync(Admin, department, widgetSettings);
        var agent = await CreateAgentAsync([department]);
        return (widget, department, agent);
    }

    /// <summary>A visitor whose chat the agent has taken.</summary>
    private async Task<Live> LiveChatAsync(Widget widget, Agent agent, string text = "Hello, is my order shipped?")
    {
        var agentSide = await ChatKit.AgentAsync(Factory, agent.Client);
        var visitor = await ChatKit.VisitorAsync(Factory, widget.Key);
        var start = ChatKit.StartRequest(text);
        var state = await visitor.Hub.InvokeAsync<VisitorState>("Start", start);
        var offer = await agentSide.Heard.WaitAsync<ChatOfferDto>("Offered", o => o.Chat.Id == state.ConversationId);
        await agentSide.Hub.InvokeAsync<ChatDetailDto>("Accept", offer.Chat.Id);
        await visitor.Heard.WaitAsync<VisitorState>("State", s => s.Status == "active");
        return new Live(visitor.Hub, visitor.Heard, agentSide.Hub, agentSide.Heard, state.ConversationId, offer.Chat.TicketId, (string)start["token"]!);
    }

    private sealed record Live(HubConnection Visitor, Heard VisitorHeard, HubConnection AgentHub, Heard AgentHeard, long ChatId, long TicketId, string Token);

    [Fact]
    public async Task CreateWidget_AsAdmin_ShowsKeySecretOnceAndSnippet()
    {
        var created = await Admin.PostAsJsonAsync("/api/v1/chat/widgets", new
        {
            name = "Main site",
            allowedOrigins = new[] { "https://Shop.Example.test/" },
            routingMode = "least-busy",
            preChatFields = new[] { new { key = "order", label = "Order number", required = true } },
            invitations = new[] { new { path = "/pricing", afterSeconds = 30, message = "Questions about plans?" } },
        }).ShouldBeAsync(HttpStatusCode.Created);

        Assert.StartsWith("wk_", created.Str("publicKey"), StringComparison.Ordinal);
        Assert.Equal(64, created.Str("identitySecret").Length);
        Assert.Contains($"data-widget=\"{created.Str("publicKey")}\"", created.Str("snippet"), StringComparison.Ordinal);
        Assert.Contains("/widget.js", created.Str("snippet"), StringComparison.Ordinal);
        Assert.Equal("https://shop.example.test", created.GetProperty("allowedOrigins")[0].GetString());
        Assert.Equal("leastBusy", created.Str("routingMode"));
        var read = await GetAsync($"/api/v1/chat/widgets/{created.Id()}");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, read.GetProperty("identitySecret").ValueKind);
        var secret = await GetAsync($"/api/v1/chat/widgets/{created.Id()}/secret");
        Assert.Equal(created.Str("identitySecret"), secret.Str("identitySecret"));
    }

    [Fact]
    public async Task CreateWidget_AsAgentOrWithBadOrigin_IsRefused()
    {
        var agent = await CreateAgentAsync();

        await agent.Client.PostAsJsonAsync("/api/v1/chat/widgets", new { name = "Mine" }).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var problem = await Admin.PostAsJsonAsync("/api/v1/chat/widgets", new { name = "Bad", allowedOrigins = new[] { "shop.example.test/path" } })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("is not an origin", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VisitorConnect_FromDisallowedOrigin_IsRefused()
    {
        var (widget, _, _) = await SetUpAsync();

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => ChatKit.VisitorAsync(Factory, widget.Key, "https://evil.example.test"));
        Assert.Contains("403", refused.ToString(), StringComparison.Ordinal);
        var client = Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/chat/public/widgets/{widget.Key}");
        request.Headers.Add("Origin", "https://evil.example.test");
        await (await client.SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        using var allowed = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/chat/public/widgets/{widget.Key}");
        allowed.Headers.Add("Origin", ChatKit.Origin);
        var response = await client.SendAsync(allowed);
        Assert.Equal(ChatKit.Origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        await response.ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Chat_StartTakeAndReply_BothSidesSeeEachLineOnceAndTheTicketHoldsTheTranscript()
    {
        var (widget, department, agent) = await SetUpAsync();
        var chat = await LiveChatAsync(widget, agent, "我的订单在哪里？ Nasaan na ang order ko?");

        var reply = await chat.AgentHub.InvokeAsync<ChatLineDto>("Send", chat.ChatId, ChatKit.NewId(), "It ships today <b>not bold</b>.");
        var heard = await chat.VisitorHeard.WaitAsync<ChatLineDto>("Line", l => l.Id == reply.Id);
        Assert.Equal("agent", heard.Sender);
        Assert.Equal("Andy Agent", heard.AgentName);
        Assert.Equal("It ships today <b>not bold</b>.", heard.Text);
        var clientId = ChatKit.NewId();
        var ack = await chat.Visitor.InvokeAsync<ChatLineDto>("Send", clientId, "Salamat! 谢谢");
        var again = await chat.Visitor.InvokeAsync<ChatLineDto>("Send", clientId, "Salamat! 谢谢");
        Assert.Equal(ack.Id, again.Id);
        await chat.AgentHeard.WaitAsync<ChatLineDto>("Line", l => l.Id == ack.Id);

        var ticket = await GetAsync($"/api/v1/tickets/{chat.TicketId}");
        Assert.Equal("chat", ticket.Str("channel"));
        Assert.Equal(department, ticket.GetProperty("departmentId").GetInt64());
        Assert.Equal(agent.Id, ticket.GetProperty("assigneeId").GetInt64());
        var messages = (await GetAsync($"/api/v1/tickets/{chat.TicketId}/messages")).Items().Select(m => m.Str("bodyText")).ToList();
        Assert.Equal(["我的订单在哪里？ Nasaan na ang order ko?", "It ships today <b>not bold</b>.", "Salamat! 谢谢"], messages);
        var detail = await GetAsync($"/api/v1/chat/conversations/{chat.ChatId}", agent.Client);
        Assert.Equal(3, detail.GetProperty("lines").GetArrayLength());
        Assert.Equal("https://shop.example.test/pricing", detail.GetProperty("chat").Str("currentPage"));
        Assert.Equal("https://search.example/?q=shop", detail.GetProperty("chat").Str("referrer"));
        var events = (await GetAsync($"/api/v1/tickets/{chat.TicketId}/events")).Items().Select(e => e.Str("type")).ToList();
        Assert.Contains("chat_started", events);
    }

    [Fact]
    public async Task Resume_AfterDroppedConnection_ReturnsEveryLineOnceInOrderAndResentLinesAreNotDoubled()
    {
        var (widget, _, agent) = await SetUpAsync();
        var chat = await LiveChatAsync(widget, agent);
        var unacked = ChatKit.NewId();
        await chat.Visitor.InvokeAsync<ChatLineDto>("Send", ChatKit.NewId(), "first");
        await chat.Visitor.InvokeAsync<ChatLineDto>("Send", unacked, "second");
        await chat.Visitor.StopAsync();
        await chat.AgentHub.InvokeAsync<ChatLineDto>("Send", chat.ChatId, ChatKit.NewId(), "while you were away");

        var (again, _) = await ChatKit.VisitorAsync(Factory, widget.Key);
        var state = await again.InvokeAsync<VisitorState?>("Resume", chat.Token, new { url = "https://shop.example.test/cart", locale = "fil" });
        await again.InvokeAsync<ChatLineDto>("Send", unacked, "second");

        Assert.NotNull(state);
        Assert.Equal("active", state.Status);
        Assert.Equal(["Hello, is my order shipped?", "first", "second", "while you were away"], state.Lines!.Select(l => l.Text));
        Assert.Equal(state.Lines!.Select(l => l.Id).Order(), state.Lines!.Select(l => l.Id));
        var detail = await GetAsync($"/api/v1/chat/conversations/{chat.ChatId}", agent.Client);
        Assert.Equal(4, detail.GetProperty("lines").GetArrayLength());
        Assert.Equal("https://shop.example.test/cart", detail.GetProperty("chat").Str("currentPage"));
        Assert.Equal(2, detail.GetProperty("chat").GetProperty("pagesVisited").GetArrayLength());
    }

    [Fact]
    public async Task Send_ResentAmongNewLines_ResendGetsItsStoredLineAndTheNewLinesAreStoredOnce()
    {
        var (widget, _, agent) = await SetUpAsync();
        var chat = await LiveChatAsync(widget, agent);
        var resent = ChatKit.NewId();
        var original = await chat.Visitor.InvokeAsync<ChatLineDto>("Send", resent, "Salamat po");

        // The resend and new lines on both sides at once, so they meet in the writer's batches.
        var sends = new List<Task<ChatLineDto>> { chat.Visitor.InvokeAsync<ChatLineDto>("Send", resent, "Salamat po") };
        for (var i = 0; i < 5; i++)
        {
            sends.Add(chat.Visitor.InvokeAsync<ChatLineDto>("Send", ChatKit.NewId(), $"visitor {i} 你好"));
            sends.Add(chat.AgentHub.InvokeAsync<ChatLineDto>("Send", chat.ChatId, ChatKit.NewId(), $"agent {i}"));
        }
        var lines = await Task.WhenAll(sends);

        Assert.Equal(original.Id, lines[0].Id);
        Assert.Equal("Salamat po", lines[0].Text);
        Assert.Equal(11, lines.Select(l => l.Id).Distinct().Count());
        var detail = await GetAsync($"/api/v1/chat/conversations/{chat.ChatId}", agent.Client);
        var stored = detail.GetProperty("lines").EnumerateArray().Select(l => l.Str("text")).ToList();
        Assert.Single(stored, t => t == "Salamat po");
        Assert.Equal(12, stored.Count);
    }

    [Fact]
    public async Task Send_LinesBothWays_AreCountedOnTheTicketSearchableInEveryScriptAndHeardByOpenInboxes()
    {
        var (widget, _, agent) = await SetUpAsync();
        var chat = await LiveChatAsync(widget, agent);
        using var inbox = new FeedProbe(Factory.Services.GetRequiredService<TicketFeed>());
        var filipino = Unique("kumusta");

        var visitorLine = await chat.Visitor.InvokeAsync<ChatLineDto>("Send", ChatKit.NewId(), $"Paki-check po {filipino} 蟋蟀发票");
        var agentLine = await chat.AgentHub.InvokeAsync<ChatLineDto>("Send", chat.ChatId, ChatKit.NewId(), "Checking the invoice now");

        var customer = await inbox.WaitForAsync(chat.TicketId, c => c.Types.Contains("customer_replied"));
        Assert.Equal(Core.Model.ActorType.Contact, customer.ActorType);
        var reply = await inbox.WaitForAsync(chat.TicketId, c => c.Types.Contains("replied"));
        Assert.Equal(Core.Model.ActorType.Agent, reply.ActorType);
        Assert.Equal("Andy Agent", reply.ActorName);
        Assert.Equal(agent.Id, reply.AssigneeId);
        var ticket = await GetAsync($"/api/v1/tickets/{chat.TicketId}");
        Assert.Equal(3, ticket.GetProperty("messageCount").GetInt32());
        Assert.Equal(agentLine.At, ticket.GetProperty("lastMessageAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.NotEqual(JsonValueKind.Null, ticket.GetProperty("firstResponseAt").ValueKind);
        foreach (var word in new[] { filipino, "蟋蟀" })
        {
            var hits = (await GetAsync("/api/v1/tickets?q=" + Uri.EscapeDataString(word))).Items().Select(t => t.GetProperty("id").GetInt64());
            Assert.Contains(chat.TicketId, hits);
        }
        var events = (await GetAsync($"/api/v1/tickets/{chat.TicketId}/events")).Items().Select(e => e.Str("type")).ToList();
        Assert.Contains("customer_replied", events);
        Assert.Contains("replied", events);
        Assert.True(visitorLine.Id < agentLine.Id);
    }

    [Fact]
    public async Task Send_InAChatUnderAnSlaPolicy_AgentsLineMeetsTheResponseClockAndVisitorsNextLineStartsTheNext()
    {
        var department = await CreateDepartmentAsync();
        await Admin.PostAsJsonAsync("/api/v1/sla/policies", new
        {
            name = Unique("Chat desk "),
            position = -1,
            conditions = new { departmentIds = new[] { department } },
            firstResponseMinutes = 60,
            nextResponseMinutes = 30,
        }).ShouldBeAsync(HttpStatusCode.Created);
        var widget = await ChatKit.CreateWidgetAsync(Admin, department);
        var agent = await CreateAgentAsync([department]);
        var chat = await LiveChatAsync(widget, agent);
        var before = await GetAsync($"/api/v1/tickets/{chat.TicketId}");

        await chat.AgentHub.InvokeAsync<ChatLineDto>("Send", chat.ChatId, ChatKit.NewId(), "Magandang araw! 您好");
        var answered = await GetAsync($"/api/v1/tickets/{chat.TicketId}");
        Factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var line = await chat.Visitor.InvokeAsync<ChatLineDto>("Send", ChatKit.NewId(), "One more question");
        var after = await GetAsync($"/api/v1/tickets/{chat.TicketId}");

        Assert.NotEqual(JsonValueKind.Null, before.GetProperty("firstResponseDueAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, answered.GetProperty("firstResponseDueAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, answered.GetProperty("nextResponseDueAt").ValueKind);
        Assert.Equal(line.At.AddMinutes(30), after.GetProperty("nextResponseDueAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, after.GetProperty("messageCount").GetInt32());
    }

    [Fact]
    public async Task Send_VisitorsLineOnAPendingTicket_OpensTheTicketAgainAndIsStoredOnce()
    {
        var (widget, _, agent) = await SetUpAsync();
        var chat = await LiveChatAsync(widget, agent);
        await PatchAsync($"/api/v1/tickets/{chat.TicketId}", new { status = "pending" });
        var clientId = ChatKit.NewId();

        var line = await chat.Visitor.InvokeAsync<ChatLineDto>("Send", clientId, "Nandito pa po ako 我还在");
        var again = await chat.Visitor.InvokeAsync<ChatLineDto>("Send", clientId, "Nandito pa po ako 我还在");

        await chat.AgentHeard.WaitAsync<ChatLineDto>("Line", l => l.Id == line.Id);
        Assert.Equal(line.Id, again.Id);
        var ticket = await GetAsync($"/api/v1/tickets/{chat.TicketId}");
        Assert.Equal("open", ticket.Str("status"));
        Assert.Equal(2, ticket.GetProperty("messageCount").GetInt32());
        var events = (await GetAsync($"/api/v1/tickets/{chat.TicketId}/events")).Items().Select(e => e.Str("type")).ToList();
        Assert.Contains("status_changed", events);
        Assert.Single(events, e => e == "customer_replied");
    }

    [Fact]
    public async Task Resume_WithAnotherVisitorsOrAMadeUpToken_ReadsNothing()
    {
        var (widget, _, agent) = await SetUpAsync();
        var chat = await LiveChatAsync(widget, agent);
        var otherWidget = await ChatKit.CreateWidgetAsync(Admin, null);

        var (stranger, heard) = await ChatKit.VisitorAsync(Factory, widget.Key);
        var guessed = await stranger.InvokeAsync<VisitorState?>("Resume", Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), null);
        var (elsewhere, _) = await ChatKit.VisitorAsync(Factory, otherWidget.Key);
        var wrongWidget = await elsewhere.InvokeAsync<VisitorState?>("Resume", chat.Token, null);
        var send = await Assert.ThrowsAsync<HubException>(() => stranger.InvokeAsync<ChatLineDto>("Send", ChatKit.NewId(), "let me in"));
        await chat.AgentHub.InvokeAsync<ChatLineDto>("Send", chat.ChatId, ChatKit.NewId(), "private answer");
        await chat.VisitorHeard.WaitAsync<ChatLineDto>("Line", l => l.Text == "private answer");

        Assert.Null(guessed);
        Assert.Null(wrongWidget);
        Assert.Contains("Start or resume a chat first", send.Message, StringComparison.Ordinal);
        Assert.Empty(heard.All<ChatLineDto>("Line"));
    }

    [Fact]
    public async Task Typing_PreviewReachesTheAgentAndAgentTypingReachesTheVisitor()
    {
        var (widget, _, agent) = await SetUpAsync();
        var chat = await LiveChatAsync(widget, agent);

        await chat.Visitor.InvokeAsync("Typing", "I would like a ref");
        await chat.AgentHub.InvokeAsync("Typing", chat.ChatId, true);

        Assert.Equal("I would like a ref", await chat.AgentHeard.WaitAsync<string>("VisitorTyping"));
        Assert.True(await chat.VisitorHeard.WaitAsync<bool>("AgentTyping"));
    }

    [Fact]
    public async Task Read_EachSideHearsWhatTheOtherHasRead()
    {
        var (widget, _, agent) = await SetUpAsync();
        var chat = await LiveChatAsync(widget, agent);
        var visitorLine = await chat.Visitor.InvokeAsync<ChatLineDto>("Send", ChatKit.NewId(), "Are you there?");
        var agentLine = await chat.AgentHub.InvokeAsync<ChatLineDto>("Send", chat.ChatId, ChatKit.NewId(), "Yes!");

        await chat.AgentHub.InvokeAsync("Read", chat.ChatId, visitorLine.Id);
        await chat.Visitor.InvokeAsync("Read", agentLine.Id);

        Assert.Equal(visitorLine.Id, await chat.VisitorHeard.WaitAsync<long>("Read"));
        Assert.Equal(agentLine.Id, await chat.AgentHeard.WaitAsync<long>("ReadByVisitor"));
    }

    [Fact]
    public async Task Transcript_WithoutAMailboxToSendFrom_SaysSo()
    {
        var (widget, _, agent) = await SetUpAsync();
        var chat = await LiveChatAsync(widget, agent);

        var refused = await Assert.ThrowsAsync<HubException>(() => chat.Visitor.InvokeAsync("Transcript", UniqueEmail("copy")));
        var invalid = await Assert.ThrowsAsync<HubException>(() => chat.Visitor.InvokeAsync("Transcript", "not an address"));

        Assert.Contains("no mailbox is set up to send mail", refused.Message, StringComparison.Ordinal);
        Assert.Contains("is not a valid email address", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ringing_DeclinedOrTimedOut_GoesToTheNextAgent()
    {
        var (widget, department, first) = await SetUpAsync();
        var second = await CreateAgentAsync([department]);
        var one = await ChatKit.AgentAsync(Factory, first.Client);
        var two = await ChatKit.AgentAsync(Factory, second.Client);
        var (visitor, visitorHeard) = await ChatKit.VisitorAsync(Factory, widget.Key);
        var state = await visitor.InvokeAsync<VisitorState>("Start", ChatKit.StartRequest());

        var offered = await Task.WhenAny(
            one.Heard.WaitAsync<ChatOfferDto>("Offered").ContinueWith(_ => (one, first), TaskScheduler.Default),
            two.Heard.WaitAsync<ChatOfferDto>("Offered").ContinueWith(_ => (two, second), TaskScheduler.Default));
        var (ringing, ringingAgent) = await offered;
        var (other, otherAgent) = ringingAgent == first ? (two, second) : (one, first);
        await ringing.Hub.InvokeAsync("Decline", state.ConversationId);
        var next = await other.Heard.WaitAsync<ChatOfferDto>("Offered", o => o.Chat.Id == state.ConversationId);
        Assert.Equal("ringing", (await visitorHeard.WaitAsync<VisitorState>("State", s => s.Status == "ringing")).Status);

        // Nobody answers the second ring: after the timeout the chat waits in the queue (nobody is left to ring).
        Factory.Clock.Advance(TimeSpan.FromSeconds(31));
        await other.Heard.WaitAsync<long>("OfferWithdrawn", id => id == state.ConversationId);
        var queued = await GetAsync("/api/v1/chat/conversations?queue=true", otherAgent.Client);
        Assert.Contains(queued.Items(), c => c.Id() == state.ConversationId && c.Str("status") == "queued");
        Assert.NotNull(next.Chat);
        await Assert.ThrowsAsync<HubException>(() => ringing.Hub.InvokeAsync<ChatDetailDto>("Accept", 999_999_999L));
    }

    [Fact]
    public async Task Queue_NobodyTakesItInTime_VisitorGetsTheOfflineFormAndTheMessageJoinsTheTicket()
    {
        var department = await CreateDepartmentAsync();
        var widget = await ChatKit.CreateWidgetAsync(Admin, department);
        var (first, firstHeard) = await ChatKit.VisitorAsync(Factory, widget.Key);
        var (second, secondHeard) = await ChatKit.VisitorAsync(Factory, widget.Key);
        var a = await first.InvokeAsync<VisitorState>("Start", ChatKit.StartRequest("first in line"));
        var startSecond = ChatKit.StartRequest("second in line");
        var b = await second.InvokeAsync<VisitorState>("Start", startSecond);

        Assert.Equal(1, a.QueuePosition);
        Assert.Equal(2, b.QueuePosition);
        Factory.Clock.Advance(TimeSpan.FromSeconds(121));
        await firstHeard.WaitAsync<VisitorState>("State", s => s.Status == "missed");
        await secondHeard.WaitAsync<VisitorState>("State", s => s.Status == "missed");
        var email = UniqueEmail("visitor");
        await second.InvokeAsync("LeaveMessage", new { token = startSecond["token"], name = "Vera", email, text = "Please email me about my order." });

        var ticketId = (await GetAsync($"/api/v1/chat/conversations/{b.ConversationId}")).GetProperty("chat").GetProperty("ticketId").GetInt64();
        var messages = (await GetAsync($"/api/v1/tickets/{ticketId}/messages")).Items().Select(m => m.Str("bodyText")).ToList();
        Assert.Equal(["second in line", "Please email me about my order."], messages);
        var events = (await GetAsync($"/api/v1/tickets/{ticketId}/events")).Items().Select(e => e.Str("type")).ToList();
        Assert.Contains("chat_missed", events);
    }

    [Fact]
    public async Task LeaveMessage_WithoutAChat_CreatesAChatTicketForTheVisitor()
    {
        var department = await CreateDepartmentAsync();
        var widget = await ChatKit.CreateWidgetAsync(Admin, department);
        var (visitor, _) = await ChatKit.VisitorAsync(Factory, widget.Key);
        var email = UniqueEmail("offline");

        await visitor.InvokeAsync("LeaveMessage", new { name = "Lin Wei", email, text = "请回电话给我" });

        var tickets = await ListTicketsAsync($"departmentId={department}");
        var ticket = Assert.Single(tickets.Items());
        Assert.Equal("chat", ticket.Str("channel"));
        Assert.Contains("请回电话给我", ticket.Str("subject"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithSignedIdentity_JoinsTheKnownContact_UnsignedClaimGetsAContactOfItsOwn()
    {
        var (widget, _, _) = await SetUpAsync();
        var email = UniqueEmail("known");
        var existing = await CreateTicketAsync(TicketRequest(Unique("t"), email: email));
        var knownContact = existing.GetProperty("customer").Id();
        var (visitor, _) = await ChatKit.VisitorAsync(Factory, widget.Key);

        var forged = await visitor.InvokeAsync<VisitorState>("Start", ChatKit.StartRequest(email: email,
            identity: new { userId = "u-1", email, name = "Mallory", signature = new string('0', 64) }));
        var (signedVisitor, _) = await ChatKit.VisitorAsync(Factory, widget.Key);
        var signature = Sign(widget.Secret, "u-1", email);
        var signed = await signedVisitor.InvokeAsync<VisitorState>("Start", ChatKit.StartRequest(identity: new { userId = "u-1", email, name = "Known", signature }));

        var forgedChat = (await GetAsync($"/api/v1/chat/conversations/{forged.ConversationId}")).GetProperty("chat");
        var signedChat = (await GetAsync($"/api/v1/chat/conversations/{signed.ConversationId}")).GetProperty("chat");
        var forgedTicket = await GetAsync($"/api/v1/tickets/{forgedChat.GetProperty("ticketId").GetInt64()}");
        var signedTicket = await GetAsync($"/api/v1/tickets/{signedChat.GetProperty("ticketId").GetInt64()}");
        Assert.NotEqual(knownContact, forgedTicket.GetProperty("customer").Id());
        Assert.False(forgedChat.GetProperty("identityVerified").GetBoolean());
        Assert.Equal(knownContact, signedTicket.GetProperty("customer").Id());
        Assert.True(signedChat.GetProperty("identityVerified").GetBoolean());
    }

    private static string Sign(string secret, string userId, string email) =>
        Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(userId + ":" + email)));

    [Fact]
    public async Task Transfer_ToAnotherAgentAndToADepartment_MovesTheChatAndTellsEveryone()
    {
        var (widget, _, agent) = await SetUpAsync();
        var chat = await LiveChatAsync(widget, agent);
        var colleague = await CreateAgentAsync();
        var colleagueSide = await ChatKit.AgentAsync(Factory, colleague.Client);
        var billing = await CreateDepartmentAsync();

        await chat.AgentHub.InvokeAsync<ChatSummaryDto>("Transfer", chat.ChatId, colleague.Id, null);
        Assert.Equal(chat.ChatId, (await colleagueSide.Heard.WaitAsync<ChatSummaryDto>("Assigned")).Id);
        await chat.AgentHeard.WaitAsync<string>("Ended", by => by == "transferred");
        var line = await colleagueSide.Hub.InvokeAsync<ChatLineDto>("Send", chat.ChatId, ChatKit.NewId(), "I can help with billing.");
        await chat.VisitorHeard.WaitAsync<ChatLineDto>("Line", l => l.Id == line.Id && l.AgentName == "Andy Agent");
        await Assert.ThrowsAsync<HubException>(() => chat.AgentHub.InvokeAsync<ChatLineDto>("Send", chat.ChatId, ChatKit.NewId(), "still here?"));

        await colleagueSide.Hub.InvokeAsync<ChatSummaryDto>("Transfer", chat.ChatId, null, billing);
        await chat.VisitorHeard.WaitAsync<VisitorState>("State", s => s.Status == "queued");
        var ticket = await GetAsync($"/api/v1/tickets/{chat.TicketId}");
        Assert.Equal(billing, ticket.GetProperty("departmentId").GetInt64());
    }

    [Fact]
    public async Task EndAndRate_VisitorEndsAndRates_TicketCarriesTheRatingAndTheAgentHears()
    {
        var (widget, _, agent) = await SetUpAsync();
        var chat = await LiveChatAsync(widget, agent);

        var ended = await chat.Visitor.InvokeAsync<VisitorState>("End");
        await chat.Visitor.InvokeAsync("Rate", "good", "Mabilis at magalang. 很好");
        await chat.AgentHeard.WaitAsync<string>("Ended", by => by == "visitor");

        Assert.Equal("ended", ended.Status);
        var ticket = await GetAsync($"/api/v1/tickets/{chat.TicketId}");
        Assert.Equal("good", ticket.Str("rating"));
        Assert.Equal("Mabilis at magalang. 很好", ticket.Str("ratingComment"));
        var events = (await GetAsync($"/api/v1/tickets/{chat.TicketId}/events")).Items().Select(e => e.Str("type")).ToList();
        Assert.Contains("chat_ended", events);
        await Assert.ThrowsAsync<HubException>(() => chat.Visitor.InvokeAsync<ChatLineDto>("Send", ChatKit.NewId(), "one more thing"));
    }

    [Fact]
    public async Task Send_AfterTheChatEndsOrByAnAgentNotAnsweringIt_IsRefusedWithAReasonAndStoresNothing_ResentLinesAreAnsweredAgain()
    {
        var (widget, department, agent) = await SetUpAsync();
        var chat = await LiveChatAsync(widget, agent);
        var visitorId = ChatKit.NewId();
        var agentId = ChatKit.NewId();
        var sent = await chat.Visitor.InvokeAsync<ChatLineDto>("Send", visitorId, "Nasaan na ang order ko? 我的订单呢？");
        var answered = await chat.AgentHub.InvokeAsync<ChatLineDto>("Send", chat.ChatId, agentId, "Parating na. It is on its way.");
        var colleague = await CreateAgentAsync([department]);
        var colleagueSide = await ChatKit.AgentAsync(Factory, colleague.Client);
        var intruder = await Assert.ThrowsAsync<HubException>(() => colleagueSide.Hub.InvokeAsync<ChatLineDto>("Send", chat.ChatId, ChatKit.NewId(), "Let me answer that."));

        await chat.Visitor.InvokeAsync<VisitorState>("End");
        var resent = await chat.Visitor.InvokeAsync<ChatLineDto>("Send", visitorId, "Nasaan na ang order ko? 我的订单呢？");
        var resentByAgent = await chat.AgentHub.InvokeAsync<ChatLineDto>("Send", chat.ChatId, agentId, "Parating na. It is on its way.");
        var late = await Assert.ThrowsAsync<HubException>(() => chat.Visitor.InvokeAsync<ChatLineDto>("Send", ChatKit.NewId(), "One more thing"));
        var lateAgent = await Assert.ThrowsAsync<HubException>(() => chat.AgentHub.InvokeAsync<ChatLineDto>("Send", chat.ChatId, ChatKit.NewId(), "Anything else?"));

        Assert.Equal(sent.Id, resent.Id);
        Assert.Equal(answered.Id, resentByAgent.Id);
        Assert.Contains("Only the agent answering this chat", intruder.Message, StringComparison.Ordinal);
        Assert.Contains("This chat has ended", late.Message, StringComparison.Ordinal);
        Assert.Contains("Only the agent answering this chat", lateAgent.Message, StringComparison.Ordinal);
        var detail = await GetAsync($"/api/v1/chat/conversations/{chat.ChatId}", agent.Client);
        Assert.Equal(["Hello, is my order shipped?", "Nasaan na ang order ko? 我的订单呢？", "Parating na. It is on its way."],
            detail.GetProperty("lines").EnumerateArray().Select(l => l.Str("text")));
        Assert.DoesNotContain(chat.VisitorHeard.All<ChatLineDto>("Line"), l => l.Text is "Let me answer that." or "Anything else?");
    }

    [Fact]
    public async Task MessagesApi_ReplyOnAChatTicket_ReachesTheVisitor_NoteDoesNot()
    {
        var (widget, _, agent) = await SetUpAsync();
        var chat = await LiveChatAsync(widget, agent);

        await agent.Client.PostAsJsonAsync($"/api/v1/tickets/{chat.TicketId}/messages", new { kind = "note", body = "VIP customer" })
            .ShouldBeAsync(HttpStatusCode.Created);
        var reply = await agent.Client.PostAsJsonAsync($"/api/v1/tickets/{chat.TicketId}/messages", new { body = "Here is the tracking link." })
            .ShouldBeAsync(HttpStatusCode.Created);

        await chat.VisitorHeard.WaitAsync<ChatLineDto>("Line", l => l.Text == "Here is the tracking link.");
        Assert.Equal("sent", reply.Str("deliveryStatus"));
        Assert.DoesNotContain(chat.VisitorHeard.All<ChatLineDto>("Line"), l => l.Text == "VIP customer");
    }

    [Fact]
    public async Task Send_TooLongOrTooFast_IsRefusedWithAReason()
    {
        var (widget, _, agent) = await SetUpAsync();
        var chat = await LiveChatAsync(widget, agent);

        var tooLong = await Assert.ThrowsAsync<HubException>(() => chat.Visitor.InvokeAsync<ChatLineDto>("Send", ChatKit.NewId(), new string('a', 4001)));
        Assert.Contains("at most 4,000 characters", tooLong.Message, StringComparison.Ordinal);
        var refused = 0;
        for (var i = 0; i < 40; i++)
        {
            try
            {
                await chat.Visitor.InvokeAsync<ChatLineDto>("Send", ChatKit.NewId(), "spam " + i);
            }
            catch (HubException e) when (e.Message.Contains("too fast", StringComparison.Ordinal))
            {
                refused++;
            }
        }
        Assert.True(refused >= 10, $"{refused} of 40 messages in a burst were refused.");
    }

    [Fact]
    public async Task WidgetScript_IsServedCompressedWithCachingAndSmall()
    {
        var client = Factory.CreateClient(new() { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/widget.js");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType);
        var size = (await response.Content.ReadAsByteArrayAsync()).Length;
        Assert.True(size <= 30 * 1024, $"widget.js is {size} bytes gzipped; the budget is 30 KB.");
        Assert.Contains("max-age", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/widget.js");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task AgentHub_WithoutSignIn_IsRefused()
    {
        var client = Factory.CreateClient();
        var response = await client.PostAsync(ChatModule.AgentHubPath + "/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await Factory.Services.RouteChatsAsync();
    }

    [Fact]
    public async Task ReplyChannels_ChatEnds_TheReplyGoesByEmailAndChatIsRefused()
    {
        var (widget, _, agent) = await SetUpAsync();
        var address = $"{Unique("chat")}@desk.test";
        var mailbox = await Admin.PostAsJsonAsync("/api/v1/mailboxes", new { address, inbound = new { type = "smtp" }, outbound = new { host = "127.0.0.1", port = 2525, security = "none" } })
            .ShouldBeAsync(HttpStatusCode.Created);
        JsonElement live, ended, refused, reply;
        // Other tests here need a host without mailboxes; this one's goes again at the end.
        var email = UniqueEmail("visitor");
        try
        {
            var agentSide = await ChatKit.AgentAsync(Factory, agent.Client);
            var visitor = await ChatKit.VisitorAsync(Factory, widget.Key);
            var state = await visitor.Hub.InvokeAsync<VisitorState>("Start", ChatKit.StartRequest("Kumusta, 我的订单呢?", email: email));
            var offer = await agentSide.Heard.WaitAsync<ChatOfferDto>("Offered", o => o.Chat.Id == state.ConversationId);
            await agentSide.Hub.InvokeAsync<ChatDetailDto>("Accept", offer.Chat.Id);
            await visitor.Heard.WaitAsync<VisitorState>("State", s => s.Status == "active");
            var ticketId = offer.Chat.TicketId;

            live = await GetAsync($"/api/v1/tickets/{ticketId}/reply-channels", agent.Client);
            await visitor.Hub.InvokeAsync<VisitorState>("End");
            await agentSide.Heard.WaitAsync<string>("Ended", by => by == "visitor");
            ended = await GetAsync($"/api/v1/tickets/{ticketId}/reply-channels", agent.Client);
            refused = await agent.Client.PostAsJsonAsync($"/api/v1/tickets/{ticketId}/messages", new { body = "Still there?", channel = "chat" })
                .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            reply = await agent.Client.PostAsJsonAsync($"/api/v1/tickets/{ticketId}/messages", new { body = "Your order ships today." })
                .ShouldBeAsync(HttpStatusCode.Created);
        }
        finally
        {
            (await Admin.DeleteAsync($"/api/v1/mailboxes/{mailbox.Id()}")).Dispose();
        }

        Assert.Equal("chat", live.Str("default"));
        Assert.Equal("email", ended.Str("default"));
        Assert.Equal("chat", ended.Str("lastUsed"));
        Assert.Equal("The customer cannot be reached by chat: the chat has ended.", refused.Detail());
        Assert.Equal("email", reply.Str("channel"));
        Assert.Equal("queued", reply.Str("deliveryStatus"));
        Assert.Equal(email, reply.Str("to"));
    }
}

public sealed class ChatTests_Sqlite(SqliteChatFactory factory) : ChatTests(factory), IClassFixture<SqliteChatFactory>;

public sealed class ChatTests_Postgres(PostgresChatFactory factory) : ChatTests(factory), IClassFixture<PostgresChatFactory>;
