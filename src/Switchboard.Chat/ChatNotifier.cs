using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Switchboard.Chat;

/// <summary>How application code reaches visitors and agents; the hubs themselves only receive.</summary>
internal sealed class ChatNotifier(IHubContext<VisitorHub, IVisitorClient> visitors, IHubContext<AgentHub, IAgentChatClient> agents, ChatListeners listeners)
{
    public static string VisitorGroup(long conversationId) => "v:" + conversationId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string AgentGroup(long agentId) => "a:" + agentId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public IVisitorClient Visitor(long conversationId) => visitors.Clients.Group(VisitorGroup(conversationId));

    public IVisitorClient VisitorExcept(long conversationId, string connectionId) =>
        visitors.Clients.GroupExcept(VisitorGroup(conversationId), connectionId);

    public IAgentChatClient Agent(long agentId)
    {
        var hub = agents.Clients.Group(AgentGroup(agentId));
        var local = listeners.Of(agentId);
        return local.Count == 0 ? hub : new AgentFanOut(hub, local);
    }
}

/// <summary>Agents with an open connection to the agent hub in this process: only they are offered chats.</summary>
internal sealed class ChatPresence
{
    private readonly ConcurrentDictionary<long, int> _connections = new();

    public void Connected(long agentId) => _connections.AddOrUpdate(agentId, 1, (_, n) => n + 1);

    public void Disconnected(long agentId)
    {
        while (_connections.TryGetValue(agentId, out var n))
        {
            if (n <= 1 ? _connections.TryRemove(new KeyValuePair<long, int>(agentId, n)) : _connections.TryUpdate(agentId, n - 1, n)) return;
        }
    }

    public bool IsConnected(long agentId) => _connections.ContainsKey(agentId);

    public IReadOnlyCollection<long> Agents => (IReadOnlyCollection<long>)_connections.Keys;
}

/// <summary>
/// Which agent answers a live chat, kept in memory so a visitor's typing preview (several a
/// second) reaches the agent without a database read. The stored conversation stays the truth.
/// </summary>
internal sealed class ChatAssignments
{
    private readonly ConcurrentDictionary<long, long> _agents = new();

    public void Set(long conversationId, long? agentId)
    {
        if (agentId is { } a) _agents[conversationId] = a;
        else _agents.TryRemove(conversationId, out _);
    }

    public bool TryGet(long conversationId, out long agentId) => _agents.TryGetValue(conversationId, out agentId);
}

/// <summary>Wakes the router when something changed (a new chat, an agent online, a decline).</summary>
internal sealed class ChatSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Poke()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    public void Dispose() => _signal.Dispose();
}
