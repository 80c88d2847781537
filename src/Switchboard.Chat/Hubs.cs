using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Switchboard.Core.Errors;
using Switchboard.Core.Security;

namespace Switchboard.Chat;

/// <summary>
/// The widget's connection. The origin and widget key were checked before the connection was
/// accepted (<see cref="ChatModule"/>); a visitor joins their conversation's group only after
/// proving its token, so they hear only their own chat.
/// </summary>
internal sealed class VisitorHub(VisitorChats chats, ChatStartLimiter starts) : Hub<IVisitorClient>
{
    private const string ConversationKey = "chat.conversation";

    private WidgetInfo Widget => (WidgetInfo)Context.GetHttpContext()!.Items[ChatModule.WidgetItem]!;

    private string? UserAgent => Context.GetHttpContext()?.Request.Headers.UserAgent.ToString();

    public async Task<VisitorState?> Resume(string token, PageInfo? page)
    {
        var conversation = await chats.FindAsync(Widget.Id, token, Context.ConnectionAborted);
        if (conversation is null) return null;
        await JoinAsync(conversation.Id);
        if (page is not null) await chats.TrackAsync(conversation, page, Context.ConnectionAborted);
        return await chats.StateAsync(conversation, true, Context.ConnectionAborted);
    }

    public async Task<VisitorState> Start(StartChatRequest request)
    {
        starts.Check(Context.GetHttpContext()!);
        var (conversation, _) = await chats.StartAsync(Widget, request, UserAgent, Context.ConnectionAborted);
        await JoinAsync(conversation.Id);
        // Routing may have rung the chat before this connection joined its group and so missed that event:
        // the state read now, sent as an event too, is the one the visitor sees.
        var current = await chats.FindByIdAsync(Widget.Id, conversation.Id, Context.ConnectionAborted) ?? conversation;
        var state = await chats.StateAsync(current, true, Context.ConnectionAborted);
        await Clients.Caller.State(state);
        return state;
    }

    public async Task<ChatLineDto> Send(string clientId, string text)
    {
        if (!Context.Items.TryGetValue(ConversationKey, out var id)) throw new HubException("Start or resume a chat first.");
        try
        {
            return await chats.SendAsync(Widget.Id, (long)id!, clientId, text, Context.ConnectionId, Context.ConnectionAborted);
        }
        catch (ProblemException e) when (e.StatusCode == 404)
        {
            throw new HubException("This chat no longer exists.");
        }
    }

    public Task Typing(string? preview) =>
        Context.Items.TryGetValue(ConversationKey, out var id) ? chats.TypingAsync((long)id!, preview) : Task.CompletedTask;

    public async Task Read(long upToId) => await chats.ReadAsync(await CurrentAsync(), upToId, Context.ConnectionAborted);

    public async Task Track(PageInfo page) => await chats.TrackAsync(await CurrentAsync(), page, Context.ConnectionAborted);

    public async Task<VisitorState> End() => await chats.EndAsync(await CurrentAsync(), Context.ConnectionAborted);

    public async Task Rate(string rating, string? comment) => await chats.RateAsync(await CurrentAsync(), rating, comment, Context.ConnectionAborted);

    public async Task Transcript(string email) => await chats.TranscriptAsync(await CurrentAsync(), email, Context.ConnectionAborted);

    public async Task LeaveMessage(LeaveMessageRequest request)
    {
        starts.Check(Context.GetHttpContext()!);
        var conversation = request.Token is null ? null : await chats.FindAsync(Widget.Id, request.Token, Context.ConnectionAborted);
        await chats.LeaveMessageAsync(Widget, conversation, request, UserAgent, Context.ConnectionAborted);
    }

    private async Task JoinAsync(long conversationId)
    {
        Context.Items[ConversationKey] = conversationId;
        await Groups.AddToGroupAsync(Context.ConnectionId, ChatNotifier.VisitorGroup(conversationId));
    }

    private async Task<Core.Model.ChatConversation> CurrentAsync()
    {
        if (!Context.Items.TryGetValue(ConversationKey, out var id)) throw new HubException("Start or resume a chat first.");
        // Read fresh each time: the agent side changes the conversation too.
        var token = await chats.FindByIdAsync(Widget.Id, (long)id!, Context.ConnectionAborted);
        return token ?? throw new HubException("This chat no longer exists.");
    }
}

/// <summary>An agent's connection (any scheme the agent policy accepts). Each agent hears their own group.</summary>
[Authorize(Policy = Policies.Agent)]
internal sealed class AgentHub(AgentChats chats, ChatPresence presence, ChatSignal signal) : Hub<IAgentChatClient>
{
    private CurrentAgent Agent => CurrentAgent.From(Context.User!)!;

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, ChatNotifier.AgentGroup(Agent.Id));
        presence.Connected(Agent.Id);
        signal.Poke();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        presence.Disconnected(Agent.Id);
        signal.Poke();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ChatSummaryDto>> Active() => chats.ListAsync(Agent, queue: false, Context.ConnectionAborted);

    public Task<IReadOnlyList<ChatSummaryDto>> Queue() => chats.ListAsync(Agent, queue: true, Context.ConnectionAborted);

    public Task<ChatDetailDto> Get(long conversationId) => chats.GetAsync(Agent, conversationId, Context.ConnectionAborted);

    public Task<ChatDetailDto> Accept(long conversationId) => chats.AcceptAsync(Agent, conversationId, Context.ConnectionAborted);

    public Task Decline(long conversationId) => chats.DeclineAsync(Agent, conversationId, Context.ConnectionAborted);

    public Task<ChatLineDto> Send(long conversationId, string clientId, string text) =>
        chats.SendAsync(Agent, conversationId, new AgentLineRequest(clientId, text), Context.ConnectionAborted);

    public Task Typing(long conversationId, bool typing) => chats.TypingAsync(Agent, conversationId, typing);

    public Task Read(long conversationId, long upToId) => chats.ReadAsync(Agent, conversationId, upToId, Context.ConnectionAborted);

    public Task<ChatSummaryDto> Transfer(long conversationId, long? agentId, long? departmentId) =>
        chats.TransferAsync(Agent, conversationId, new TransferRequest(agentId, departmentId), Context.ConnectionAborted);

    public Task End(long conversationId) => chats.EndAsync(Agent, conversationId, Context.ConnectionAborted);
}

/// <summary>New chats and offline messages per client address and minute.</summary>
internal sealed class ChatStartLimiter(IOptions<ChatOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(ip =>
        RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.StartsPerMinutePerAddress,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public void Check(HttpContext http)
    {
        using var lease = _limiter.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (!lease.IsAcquired) throw new ProblemException(429, "Too many requests", "Too many chats from your address; wait a minute and try again.");
    }

    public void Dispose() => _limiter.Dispose();
}

/// <summary>A visitor connection's budget of messages and typing previews: a counter per 10-second window, no timer.</summary>
internal sealed class VisitorLimiter(int per10Seconds)
{
    public const string Key = "chat.limiter";

    private readonly Lock _lock = new();
    private long _windowStart = Environment.TickCount64;
    private int _count;

    public bool TryTake()
    {
        lock (_lock)
        {
            var now = Environment.TickCount64;
            if (now - _windowStart >= 10_000)
            {
                _windowStart = now;
                _count = 0;
            }
            return ++_count <= per10Seconds;
        }
    }
}

/// <summary>Turns problems into messages the caller sees, and holds visitors to their message budget.</summary>
internal sealed class ChatHubFilter(IOptions<ChatOptions> options) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (context.Hub is VisitorHub && context.HubMethodName is "Send" or "Typing" or "Track" or "Read" && !Limiter(context.Context).TryTake())
        {
            if (context.HubMethodName != "Send") return null;
            throw new HubException("You are sending messages too fast; wait a few seconds.");
        }
        try
        {
            return await next(context);
        }
        catch (ProblemException e)
        {
            throw new HubException(e.Message);
        }
    }

    // Made on a connection's first message, so idle connections (most of them) carry none.
    private VisitorLimiter Limiter(HubCallerContext connection)
    {
        if (connection.Items.TryGetValue(VisitorLimiter.Key, out var l) && l is VisitorLimiter limiter) return limiter;
        limiter = new VisitorLimiter(options.Value.VisitorMessagesPer10Seconds);
        connection.Items[VisitorLimiter.Key] = limiter;
        return limiter;
    }
}
