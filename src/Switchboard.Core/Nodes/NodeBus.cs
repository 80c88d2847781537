using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Switchboard.Core.Nodes;

/// <summary>A message another node published: which node, on which topic, with what text.</summary>
public sealed record NodeMessage(string Node, string Topic, string Payload)
{
    /// <summary>The payload read as JSON; null, with a warning, when the other node sent something this one cannot read.</summary>
    public T? Read<T>(JsonSerializerOptions json, ILogger logger) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(Payload, json);
        }
        catch (JsonException e)
        {
            LogUnreadable(logger, Topic, Node, e);
            return null;
        }
    }

    private static readonly Action<ILogger, string, string, Exception?> LogUnreadable =
        LoggerMessage.Define<string, string>(LogLevel.Warning, default, "Ignored an unreadable {Topic} message from node {Node}.");
}

/// <summary>
/// Short, fire-and-forget messages between the app nodes of one deployment, so what happens in
/// one process (a saved ticket change, an agent opening a ticket) reaches the browsers connected
/// to the others. Delivery is best effort and live only: a node that is not listening at the
/// moment a message is sent never gets it, so what is sent here must be a hint (reload this) or
/// soft state that is repeated until it expires, never the only copy of anything.
/// </summary>
public interface INodeBus
{
    /// <summary>This process's id, unique per start.</summary>
    string NodeId { get; }

    /// <summary>Whether other nodes may be listening; false when this process is the whole deployment (SQLite).</summary>
    bool IsShared { get; }

    /// <summary>
    /// Queues <paramref name="payload"/> for the other nodes' subscribers of <paramref name="topic"/>
    /// and returns at once; this node's own subscribers do not hear it. The payload must fit
    /// <see cref="NodeBus.MaxPayloadBytes"/> in UTF-8.
    /// </summary>
    void Publish(string topic, string payload);

    /// <summary>Calls <paramref name="handler"/> with every message other nodes publish on <paramref name="topic"/>; keep it quick.</summary>
    IDisposable Subscribe(string topic, Action<NodeMessage> handler);

    /// <summary>
    /// Raised whenever this node (re)starts listening. Messages sent while it was not listening are
    /// lost, so soft state is worth asking for again here.
    /// </summary>
    event Action? Connected;
}

/// <summary>Limits and settings shared by the bus implementations.</summary>
public static class NodeBus
{
    /// <summary>
    /// Largest payload in UTF-8 bytes. PostgreSQL's NOTIFY takes under 8000 bytes, and the
    /// envelope (node id and topic) needs a little of that.
    /// </summary>
    public const int MaxPayloadBytes = 7800;

    /// <summary>Longest topic name (lower-case letters, digits, '.', '-').</summary>
    public const int MaxTopicLength = 64;

    internal static void CheckTopic(string topic)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (topic.Length > MaxTopicLength || !topic.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-'))
        {
            throw new ArgumentException($"A topic is 1 to {MaxTopicLength} lower-case letters, digits, '.' or '-'; '{topic}' is not.", nameof(topic));
        }
    }

    internal static void CheckPayload(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (Encoding.UTF8.GetByteCount(payload) > MaxPayloadBytes)
        {
            throw new ArgumentException($"A node message carries at most {MaxPayloadBytes} bytes; shorten it or send a reference.", nameof(payload));
        }
    }
}

/// <summary>Settings of the node bus (section <c>Switchboard:NodeBus</c>).</summary>
public sealed class NodeBusOptions
{
    public const string Section = "Switchboard:NodeBus";

    /// <summary>On PostgreSQL, share live updates with the other nodes on the same database. Ignored on SQLite.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a node repeats the soft state it holds (who is viewing which ticket) to the others.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long another node's soft state lasts when it is not repeated, e.g. after that node crashed.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00")]
    public TimeSpan PresenceLifetime { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>The bus of a deployment that is one process (SQLite): there is nobody else to tell.</summary>
internal sealed class SingleNodeBus : INodeBus
{
    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    public bool IsShared => false;

    public void Publish(string topic, string payload)
    {
        NodeBus.CheckTopic(topic);
        NodeBus.CheckPayload(payload);
    }

    public IDisposable Subscribe(string topic, Action<NodeMessage> handler)
    {
        NodeBus.CheckTopic(topic);
        ArgumentNullException.ThrowIfNull(handler);
        return Nothing.Instance;
    }

    public event Action? Connected
    {
        add { }
        remove { }
    }

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();

        public void Dispose()
        {
        }
    }
}
