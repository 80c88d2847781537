using System.Collections.Concurrent;

namespace Switchboard.Workspace;

/// <summary>Who has a ticket open, and whether they are writing on it.</summary>
internal sealed record Presence(long AgentId, string AgentName, bool Replying);

/// <summary>
/// Collision warnings: which agents have each ticket open in this process and who is writing. Each
/// open ticket page is one entry, removed when the page closes; listeners hear which ticket changed.
/// </summary>
internal sealed class PresenceTracker
{
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<Guid, Presence>> _tickets = new();

    public event Action<long>? Changed;

    public void Set(long ticketId, Guid viewer, Presence presence)
    {
        var viewers = _tickets.GetOrAdd(ticketId, _ => new());
        if (viewers.TryGetValue(viewer, out var old) && old == presence) return;
        viewers[viewer] = presence;
        Changed?.Invoke(ticketId);
    }

    public void Leave(long ticketId, Guid viewer)
    {
        if (_tickets.TryGetValue(ticketId, out var viewers) && viewers.TryRemove(viewer, out _))
        {
            if (viewers.IsEmpty) _tickets.TryRemove(KeyValuePair.Create(ticketId, viewers));
            Changed?.Invoke(ticketId);
        }
    }

    /// <summary>The other agents on a ticket (one line per agent, replying wins over viewing).</summary>
    public IReadOnlyList<Presence> Others(long ticketId, long me) =>
        _tickets.TryGetValue(ticketId, out var viewers)
            ? viewers.Values.Where(p => p.AgentId != me).GroupBy(p => p.AgentId)
                .Select(g => g.OrderByDescending(p => p.Replying).First()).OrderBy(p => p.AgentName, StringComparer.Ordinal).ToList()
            : [];
}
