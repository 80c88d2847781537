using System.Collections.Concurrent;
using Switchboard.Core.Security;

namespace Switchboard.Chat;

/// <summary>
/// The agent side of live chat for clients inside this process (the agent workspace): the same
/// actions as the agent hub, with the same checks.
/// </summary>
public sealed class ChatDesk
{
    private readonly AgentChats _chats;

    internal ChatDesk(AgentChats chats) => _chats = chats;

    public Task<IReadOnlyList<ChatSummaryDto>> ActiveAsync(CurrentAgent agent, CancellationToken ct) => _chats.ListAsync(agent, queue: false, ct);

    public Task<IReadOnlyList<ChatSummaryDto>> QueueAsync(CurrentAgent agent, CancellationToken ct) => _chats.ListAsync(agent, queue: true, ct);

    public Task<ChatDetailDto> GetAsync(CurrentAgent agent, long id, CancellationToken ct) => _chats.GetAsync(agent, id, ct);

    public Task<ChatDetailDto> AcceptAsync(CurrentAgent agent, long id, CancellationToken ct) => _chats.AcceptAsync(agent, id, ct);

    public Task DeclineAsync(CurrentAgent agent, long id, CancellationToken ct) => _chats.DeclineAsync(agent, id, ct);

    public Task<ChatLineDto> SendAsync(CurrentAgent agent, long id, string clientId, string? text, CancellationToken ct) =>
        _chats.SendAsync(agent, id, new AgentLineRequest(clientId, text), ct);

    public Task TypingAsync(CurrentAgent agent, long id, bool typing) => _chats.TypingAsync(agent, id, typing);

    public Task ReadAsync(CurrentAgent agent, long id, long upToId, CancellationToken ct) => _chats.ReadAsync(agent, id, upToId, ct);

    public Task<ChatSummaryDto> TransferAsync(CurrentAgent agent, long id, long? agentId, long? departmentId, CancellationToken ct) =>
        _chats.TransferAsync(agent, id, new TransferRequest(agentId, departmentId), ct);

    public Task EndAsync(CurrentAgent agent, long id, CancellationToken ct) => _chats.EndAsync(agent, id, ct);
}

/// <summary>
/// In-process listeners for an agent's chat events, next to their hub connections. A listening
/// agent counts as connected, so chats are offered to them while they are online.
/// </summary>
public sealed class ChatListeners
{
    private readonly ConcurrentDictionary<long, ImmutableListBox> _listeners = new();
    private readonly ChatPresence _presence;
    private readonly ChatSignal _signal;

    internal ChatListeners(ChatPresence presence, ChatSignal signal)
    {
        _presence = presence;
        _signal = signal;
    }

    private sealed record ImmutableListBox(IReadOnlyList<IAgentChatClient> Items);

    /// <summary>Hear <paramref name="agentId"/>'s chat events until the result is disposed.</summary>
    public IDisposable Listen(long agentId, IAgentChatClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _listeners.AddOrUpdate(agentId, _ => new([client]), (_, box) => new([.. box.Items, client]));
        _presence.Connected(agentId);
        _signal.Poke();
        return new Subscription(() =>
        {
            _listeners.AddOrUpdate(agentId, _ => new([]), (_, box) => new(box.Items.Where(c => !ReferenceEquals(c, client)).ToList()));
            _presence.Disconnected(agentId);
            _signal.Poke();
        });
    }

    internal IReadOnlyList<IAgentChatClient> Of(long agentId) => _listeners.TryGetValue(agentId, out var box) ? box.Items : [];

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) dispose();
        }
    }
}

/// <summary>Sends an agent's event to their hub connections and to their in-process listeners.</summary>
internal sealed class AgentFanOut(IAgentChatClient hub, IReadOnlyList<IAgentChatClient> local) : IAgentChatClient
{
    private async Task All(Func<IAgentChatClient, Task> send)
    {
        await send(hub);
        foreach (var l in local)
        {
            try
            {
                await send(l);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or TaskCanceledException)
            {
                // A listener that went away while the event was on its way misses it; the others still hear it.
            }
        }
    }

    public Task Offered(ChatOfferDto offer) => All(c => c.Offered(offer));

    public Task OfferWithdrawn(long conversationId) => All(c => c.OfferWithdrawn(conversationId));

    public Task Assigned(ChatSummaryDto chat) => All(c => c.Assigned(chat));

    public Task Line(long conversationId, ChatLineDto line) => All(c => c.Line(conversationId, line));

    public Task VisitorTyping(long conversationId, string preview) => All(c => c.VisitorTyping(conversationId, preview));

    public Task VisitorUpdated(ChatSummaryDto chat) => All(c => c.VisitorUpdated(chat));

    public Task ReadByVisitor(long conversationId, long upToId) => All(c => c.ReadByVisitor(conversationId, upToId));

    public Task Ended(long conversationId, string endedBy) => All(c => c.Ended(conversationId, endedBy));
}
