using Microsoft.Extensions.DependencyInjection;
using Switchboard.Chat;
using Switchboard.Core.Security;

namespace Switchboard.Workspace.Ui;

/// <summary>One live chat as the agent's screen shows it.</summary>
public sealed class ChatView(ChatSummaryDto chat)
{
    public ChatSummaryDto Chat { get; set; } = chat;

    public List<ChatLineDto> Lines { get; } = [];

    /// <summary>What the visitor is typing right now; empty when nothing.</summary>
    public string Typing { get; set; } = "";

    /// <summary>Why the chat left this agent (ended by the visitor or the agent, transferred), or null while live.</summary>
    public string? Closed { get; set; }

    public void Add(ChatLineDto line)
    {
        if (Lines.Any(l => l.Id == line.Id)) return;
        Lines.Add(line);
        Lines.Sort((a, b) => a.Id.CompareTo(b.Id));
    }
}

/// <summary>
/// The signed-in agent's offers and live chats for one browser connection, kept current by the
/// chat module's events. Only what is on screen lives here; every action goes to <see cref="ChatDesk"/>.
/// Events are applied on the connection's dispatcher, so components read it without locks.
/// </summary>
public sealed class ChatBoard : IAgentChatClient, IDisposable
{
    private readonly IServiceScopeFactory _scopes;
    private readonly CurrentAgent _me;
    private readonly Func<Func<Task>, Task> _dispatch;
    private IDisposable? _listening;

    public static readonly ChatBoard None = new();

    private ChatBoard()
    {
        _scopes = null!;
        _me = new CurrentAgent(0, "", Core.Model.AgentRole.Agent, new HashSet<long>());
        _dispatch = work => work();
    }

    public ChatBoard(IServiceScopeFactory scopes, CurrentAgent me, Func<Func<Task>, Task> dispatch)
    {
        _scopes = scopes;
        _me = me;
        _dispatch = dispatch;
    }

    public bool IsLive => _listening is not null;

    public List<ChatOfferDto> Offers { get; } = [];

    public List<ChatView> Chats { get; } = [];

    /// <summary>Offers ringing plus chats I answer: the number next to Chats in the menu.</summary>
    public int Count => Offers.Count + Chats.Count(c => c.Closed is null);

    /// <summary>Raised on the dispatcher after anything changed.</summary>
    public event Action? Changed;

    /// <summary>Starts listening (the agent now counts as reachable for chats) and loads the live chats.</summary>
    public async Task StartAsync()
    {
        if (_listening is not null || _scopes is null) return;
        using (var scope = _scopes.CreateScope())
        {
            _listening = scope.ServiceProvider.GetRequiredService<ChatListeners>().Listen(_me.Id, this);
        }
        var active = await Desk(d => d.ActiveAsync(_me, CancellationToken.None));
        foreach (var chat in active) await OpenAsync(chat);
        Changed?.Invoke();
    }

    public ChatView? Find(long id) => Chats.FirstOrDefault(c => c.Chat.Id == id);

    /// <summary>Shows a chat that is now mine, with its transcript so far.</summary>
    public async Task<ChatView> OpenAsync(ChatSummaryDto chat)
    {
        Offers.RemoveAll(o => o.Chat.Id == chat.Id);
        var view = Find(chat.Id);
        if (view is null)
        {
            view = new ChatView(chat);
            Chats.Add(view);
        }
        view.Chat = chat;
        view.Closed = null;
        var detail = await Desk(d => d.GetAsync(_me, chat.Id, CancellationToken.None));
        foreach (var line in detail.Lines) view.Add(line);
        return view;
    }

    public void Close(long id) => Chats.RemoveAll(c => c.Chat.Id == id);

    private async Task<T> Desk<T>(Func<ChatDesk, Task<T>> work)
    {
        await using var scope = _scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<ChatDesk>());
    }

    // Events arrive on the chat module's threads; they are applied on the dispatcher and never make the sender wait.
    private Task On(Func<Task> change)
    {
        _ = _dispatch(async () =>
        {
            await change();
            Changed?.Invoke();
        });
        return Task.CompletedTask;
    }

    private Task On(Action change) => On(() =>
    {
        change();
        return Task.CompletedTask;
    });

    Task IAgentChatClient.Offered(ChatOfferDto offer) => On(() =>
    {
        Offers.RemoveAll(o => o.Chat.Id == offer.Chat.Id);
        Offers.Add(offer);
    });

    Task IAgentChatClient.OfferWithdrawn(long conversationId) => On(() => Offers.RemoveAll(o => o.Chat.Id == conversationId));

    Task IAgentChatClient.Assigned(ChatSummaryDto chat) => On(() => OpenAsync(chat));

    Task IAgentChatClient.Line(long conversationId, ChatLineDto line) => On(() =>
    {
        if (Find(conversationId) is not { } view) return;
        view.Add(line);
        if (line.Sender == "visitor") view.Typing = "";
    });

    Task IAgentChatClient.VisitorTyping(long conversationId, string preview) => On(() =>
    {
        if (Find(conversationId) is { } view) view.Typing = preview;
    });

    Task IAgentChatClient.VisitorUpdated(ChatSummaryDto chat) => On(() =>
    {
        if (Find(chat.Id) is { } view) view.Chat = chat;
    });

    Task IAgentChatClient.ReadByVisitor(long conversationId, long upToId) => On(() =>
    {
        if (Find(conversationId) is { } view) view.Chat = view.Chat with { LastReadByVisitor = upToId };
    });

    Task IAgentChatClient.Ended(long conversationId, string endedBy) => On(() =>
    {
        Offers.RemoveAll(o => o.Chat.Id == conversationId);
        if (Find(conversationId) is not { } view) return;
        view.Closed = endedBy;
        view.Typing = "";
    });

    public void Dispose()
    {
        _listening?.Dispose();
        _listening = null;
    }
}
