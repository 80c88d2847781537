using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Core.Nodes;

namespace Switchboard.Core.Events;

/// <summary>Who has a ticket open, and whether they are writing on it.</summary>
public sealed record Presence(long AgentId, string AgentName, bool Replying);

/// <summary>
/// Collision warnings: which agents have each ticket open and who is writing. Each open ticket
/// page is one entry (a viewer), removed when the page closes; listeners hear which ticket changed.
/// With several nodes, entries travel over the <see cref="INodeBus"/>: a node announces its own
/// entries as they change and repeats them every heartbeat, and drops another node's entries that
/// were not repeated within <see cref="NodeBusOptions.PresenceLifetime"/> (that node crashed or
/// lost its database), or at once when that node says goodbye.
/// </summary>
public sealed partial class TicketPresence : IDisposable
{
    internal const string Topic = "presence";

    /// <summary>Heartbeats are sent in parts that stay well under the bus's payload limit.</summary>
    private const int PartBytes = 6000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly ConcurrentDictionary<long, ConcurrentDictionary<Guid, Entry>> _tickets = new();
    private readonly INodeBus _bus;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly ILogger<TicketPresence> _logger;
    private readonly IDisposable _subscription;

    /// <summary>An entry of this node (<paramref name="Node"/> null, never expires) or of another node.</summary>
    private sealed record Entry(Presence Presence, string? Node, DateTimeOffset ExpiresAt);

    public TicketPresence(INodeBus bus, TimeProvider time, IOptions<NodeBusOptions> options, ILogger<TicketPresence> logger)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(options);
        _bus = bus;
        _time = time;
        _lifetime = options.Value.PresenceLifetime;
        _logger = logger;
        _subscription = bus.Subscribe(Topic, OnRemote);
    }

    public event Action<long>? Changed;

    /// <summary>Opens or updates this node's entry for <paramref name="viewer"/> on a ticket.</summary>
    public void Set(long ticketId, Guid viewer, Presence presence)
    {
        ArgumentNullException.ThrowIfNull(presence);
        var viewers = _tickets.GetOrAdd(ticketId, _ => new());
        if (viewers.TryGetValue(viewer, out var old) && old.Node is null && old.Presence == presence) return;
        viewers[viewer] = new Entry(presence, null, DateTimeOffset.MaxValue);
        if (_bus.IsShared) Send(new Wire("set", [Item.Of(ticketId, viewer, presence)]));
        Changed?.Invoke(ticketId);
    }

    /// <summary>Removes this node's entry for <paramref name="viewer"/>.</summary>
    public void Leave(long ticketId, Guid viewer)
    {
        if (!Remove(ticketId, viewer, node: null)) return;
        if (_bus.IsShared) Send(new Wire("leave", [new Item(ticketId, viewer, null, null, null)]));
    }

    /// <summary>The other agents on a ticket (one line per agent, replying wins over viewing).</summary>
    public IReadOnlyList<Presence> Others(long ticketId, long me) =>
        _tickets.TryGetValue(ticketId, out var viewers)
            ? viewers.Values.Select(e => e.Presence).Where(p => p.AgentId != me).GroupBy(p => p.AgentId)
                .Select(g => g.OrderByDescending(p => p.Replying).First()).OrderBy(p => p.AgentName, StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Repeats this node's entries to the others, so they keep them alive.</summary>
    internal void Heartbeat()
    {
        var items = _tickets.SelectMany(t => t.Value.Where(v => v.Value.Node is null).Select(v => Item.Of(t.Key, v.Key, v.Value.Presence))).ToList();
        var part = new List<Item>();
        var bytes = 0;
        foreach (var item in items)
        {
            var size = JsonSerializer.SerializeToUtf8Bytes(item, Json).Length + 1;
            if (bytes + size > PartBytes && part.Count > 0)
            {
                Send(new Wire("set", part));
                part = [];
                bytes = 0;
            }
            part.Add(item);
            bytes += size;
        }
        if (part.Count > 0) Send(new Wire("set", part));
    }

    /// <summary>Drops other nodes' entries that were not repeated in time.</summary>
    internal void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var (ticketId, viewers) in _tickets)
        {
            foreach (var (viewer, entry) in viewers)
            {
                if (entry.Node is not null && entry.ExpiresAt <= now) Remove(ticketId, viewer, entry.Node);
            }
        }
    }

    /// <summary>Tells the other nodes that this node's viewers are gone (it is stopping).</summary>
    internal void Goodbye() => Send(new Wire("bye", null));

    /// <summary>Asks the other nodes to repeat their entries now (after this node missed messages).</summary>
    internal void AskForHeartbeats() => Send(new Wire("sync", null));

    private bool Remove(long ticketId, Guid viewer, string? node)
    {
        if (!_tickets.TryGetValue(ticketId, out var viewers)) return false;
        if (!viewers.TryGetValue(viewer, out var entry) || entry.Node != node) return false;
        if (!viewers.TryRemove(KeyValuePair.Create(viewer, entry))) return false;
        if (viewers.IsEmpty) _tickets.TryRemove(KeyValuePair.Create(ticketId, viewers));
        Changed?.Invoke(ticketId);
        return true;
    }

    private void Send(Wire wire)
    {
        try
        {
            _bus.Publish(Topic, JsonSerializer.Serialize(wire, Json));
        }
        catch (ArgumentException e)
        {
            // Only a name longer than a part could do this; the others then miss one viewer.
            LogTooLarge(_logger, e);
        }
    }

    private void OnRemote(NodeMessage message)
    {
        var wire = message.Read<Wire>(Json, _logger);
        switch (wire?.Kind)
        {
            case "set":
                var expires = _time.GetUtcNow() + _lifetime;
                foreach (var item in wire.Items ?? [])
                {
                    if (item.AgentId is not { } agentId || item.Name is null) continue;
                    var presence = new Presence(agentId, item.Name, item.Replying ?? false);
                    var viewers = _tickets.GetOrAdd(item.Ticket, _ => new());
                    var changed = true;
                    viewers.AddOrUpdate(item.Viewer, new Entry(presence, message.Node, expires), (_, old) =>
                    {
                        // A viewer id belongs to one page on one node; a remote message never replaces a local entry.
                        if (old.Node is null)
                        {
                            changed = false;
                            return old;
                        }
                        changed = old.Presence != presence;
                        return old with { Presence = presence, Node = message.Node, ExpiresAt = expires };
                    });
                    if (changed) Changed?.Invoke(item.Ticket);
                }
                break;
            case "leave":
                foreach (var item in wire.Items ?? []) Remove(item.Ticket, item.Viewer, message.Node);
                break;
            case "bye":
                foreach (var (ticketId, viewers) in _tickets)
                {
                    foreach (var (viewer, entry) in viewers)
                    {
                        if (entry.Node == message.Node) Remove(ticketId, viewer, message.Node);
                    }
                }
                break;
            case "sync":
                Heartbeat();
                break;
        }
    }

    public void Dispose() => _subscription.Dispose();

    private sealed record Wire([property: JsonPropertyName("k")] string Kind, [property: JsonPropertyName("e")] IReadOnlyList<Item>? Items);

    private sealed record Item(
        [property: JsonPropertyName("t")] long Ticket,
        [property: JsonPropertyName("v")] Guid Viewer,
        [property: JsonPropertyName("a")] long? AgentId,
        [property: JsonPropertyName("n")] string? Name,
        [property: JsonPropertyName("r")] bool? Replying)
    {
        public static Item Of(long ticketId, Guid viewer, Presence p) => new(ticketId, viewer, p.AgentId, p.AgentName, p.Replying);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A viewer entry was too large to send to the other nodes.")]
    private static partial void LogTooLarge(ILogger logger, Exception exception);

}
