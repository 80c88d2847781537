using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Core.Nodes;
using Switchboard.Core.Security;

namespace Switchboard.Tickets;

/// <summary>
/// One saved change to a ticket: what happened (the history event types, e.g. <c>created</c>,
/// <c>customer_replied</c>, <c>assignee_changed</c>), who did it, and where the ticket now sits, so
/// a listener can tell whether an agent may see it without reading it. <see cref="Note"/> holds the
/// start of an internal note added by the change, so mentions can be noticed.
/// </summary>
public sealed record TicketChanged(
    long TicketId, IReadOnlyList<string> Types, long? DepartmentId, long? AssigneeId, TicketStatus Status,
    ActorType ActorType, long? ActorId, string? ActorName, string Subject, string? Note = null)
{
    public bool IsVisibleTo(CurrentAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return agent.CanSee(DepartmentId, AssigneeId);
    }
}

/// <summary>
/// Ticket changes as they are saved, whoever made them (the API, email intake, automation, the SLA
/// worker, the workspace): every change writes history events, and a save interceptor publishes
/// them after the save. Listeners (open browser sessions) subscribe and dispose their subscription
/// when they close. With several nodes (PostgreSQL), each change also goes to the other nodes over
/// the <see cref="INodeBus"/>, and their changes reach this node's listeners the same way.
/// </summary>
public sealed partial class TicketFeed : IDisposable
{
    internal const string Topic = "ticket-changed";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Not HTML: Chinese and Filipino text travels as itself, a third of the size of \u escapes.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Lock _gate = new();
    private readonly INodeBus _bus;
    private readonly ILogger<TicketFeed> _logger;
    private readonly IDisposable _remote;
    private ImmutableSubscribers _subscribers = new([]);

    public TicketFeed(INodeBus bus, ILogger<TicketFeed> logger)
    {
        ArgumentNullException.ThrowIfNull(bus);
        _bus = bus;
        _logger = logger;
        _remote = bus.Subscribe(Topic, OnRemote);
    }

    private sealed record ImmutableSubscribers(Func<TicketChanged, Task>[] Handlers);

    public IDisposable Subscribe(Func<TicketChanged, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate) _subscribers = new([.. _subscribers.Handlers, handler]);
        return new Subscription(this, handler);
    }

    public int SubscriberCount => _subscribers.Handlers.Length;

    /// <summary>Whether anyone may hear a change: a listener here, or another node.</summary>
    internal bool IsHeard => _subscribers.Handlers.Length > 0 || _bus.IsShared;

    /// <summary>
    /// Publishes history events that were written without a save of the context (rows inserted
    /// directly, in a batch); call it once they are committed. Their tickets must have been saved.
    /// </summary>
    public void PublishWritten(IReadOnlyList<TicketEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0 || !IsHeard) return;
        Publish(TicketFeedInterceptor.Changes(events, []));
    }

    internal void Publish(IEnumerable<TicketChanged> changes)
    {
        List<TicketChanged>? shared = _bus.IsShared ? [] : null;
        foreach (var change in changes)
        {
            Deliver(change);
            shared?.Add(change);
        }
        if (shared is { Count: > 0 }) Share(shared);
    }

    /// <summary>
    /// Tells the other nodes about one save's changes in as few messages as fit (a JSON array each): a batch of
    /// chat lines or mail changes many tickets at once, and one NOTIFY per ticket cost the database and every
    /// listening node a message each. Runs after the save committed, so nothing here may throw at the code that saved.
    /// </summary>
    private void Share(List<TicketChanged> changes)
    {
        foreach (var payload in EncodeAll(changes))
        {
            try
            {
                _bus.Publish(Topic, payload);
            }
            catch (ArgumentException e)
            {
                LogNotShared(_logger, e, changes[0].TicketId);
            }
        }
    }

    /// <summary>
    /// Changes as node messages: a JSON array of as many changes as fit <see cref="NodeBus.MaxPayloadBytes"/>,
    /// then the next; a single change is sent as an object (what the receiving side also reads).
    /// </summary>
    internal static List<string> EncodeAll(IReadOnlyList<TicketChanged> changes)
    {
        var payloads = new List<string>();
        if (changes.Count == 1)
        {
            payloads.Add(Encode(changes[0]));
            return payloads;
        }
        var text = new StringBuilder();
        var bytes = 0;
        foreach (var change in changes)
        {
            var one = Encode(change);
            var size = Encoding.UTF8.GetByteCount(one);
            // 2 bytes for the brackets, 1 for the comma before each element after the first.
            if (text.Length > 0 && bytes + size + 1 + 2 > NodeBus.MaxPayloadBytes)
            {
                payloads.Add(text.Append(']').ToString());
                text.Clear();
                bytes = 0;
            }
            text.Append(text.Length == 0 ? '[' : ',').Append(one);
            bytes += size + 1;
        }
        if (text.Length > 0) payloads.Add(text.Append(']').ToString());
        return payloads;
    }

    private void Deliver(TicketChanged change)
    {
        foreach (var handler in _subscribers.Handlers)
        {
            // A slow or failing listener must not hold up the save that published.
            _ = RunAsync(handler, change);
        }
    }

    /// <summary>A change as a node message; a long subject or note is cut so it fits NOTIFY's limit.</summary>
    internal static string Encode(TicketChanged change)
    {
        var text = JsonSerializer.Serialize(change, Json);
        if (Encoding.UTF8.GetByteCount(text) <= NodeBus.MaxPayloadBytes) return text;
        var shorter = change with { Subject = Cut(change.Subject, 200), Note = null, ActorName = change.ActorName is null ? null : Cut(change.ActorName, 200) };
        return JsonSerializer.Serialize(shorter, Json);
    }

    private static string Cut(string text, int length) =>
        text.Length <= length ? text : text[..(char.IsHighSurrogate(text[length - 1]) ? length - 1 : length)];

    private void OnRemote(NodeMessage message)
    {
        if (message.Payload.StartsWith('['))
        {
            foreach (var change in message.Read<List<TicketChanged>>(Json, _logger) ?? []) Deliver(change);
        }
        else if (message.Read<TicketChanged>(Json, _logger) is { } change)
        {
            Deliver(change);
        }
    }

    public void Dispose() => _remote.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A change of ticket {TicketId} was too large to tell the other nodes; they show it on their next reload.")]
    private static partial void LogNotShared(ILogger logger, Exception exception, long ticketId);


    private async Task RunAsync(Func<TicketChanged, Task> handler, TicketChanged change)
    {
        try
        {
            await handler(change).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A listener's failure is logged; it never reaches the code that saved.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.LogWarning(e, "A ticket change listener failed for ticket {TicketId}.", change.TicketId);
        }
    }

    private void Unsubscribe(Func<TicketChanged, Task> handler)
    {
        lock (_gate) _subscribers = new(_subscribers.Handlers.Where(h => h != handler).ToArray());
    }

    private sealed class Subscription(TicketFeed feed, Func<TicketChanged, Task> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) feed.Unsubscribe(handler);
        }
    }
}

/// <summary>Collects the history events a save adds and hands them to the feed once the save succeeded.</summary>
internal sealed class TicketFeedInterceptor(TicketFeed feed) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, Pending> _pending = [];

    private sealed record Pending(List<TicketEvent> Events, List<Message> Notes);

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Flush(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } context) _pending.Remove(context);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context) _pending.Remove(context);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null || !feed.IsHeard) return;
        // Each Entries<T>() is a full pass over everything tracked (hundreds of rows for a batch of
        // mail) when changes are detected automatically: detect once, then read both without it.
        var tracker = context.ChangeTracker;
        using (DetectionPause.DetectOnce(tracker))
        {
            var added = tracker.Entries<TicketEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
            if (added.Count == 0) return;
            var notes = tracker.Entries<Message>()
                .Where(e => e.State == EntityState.Added && e.Entity.Kind == MessageKind.Note).Select(e => e.Entity).ToList();
            _pending.AddOrUpdate(context, new Pending(added, notes));
        }
    }

    private void Flush(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending)) return;
        _pending.Remove(context);
        feed.Publish(Changes(pending.Events, pending.Notes));
    }

    /// <summary>One change per ticket: the types of its events, the first event's actor, where the ticket now sits.</summary>
    internal static List<TicketChanged> Changes(IReadOnlyList<TicketEvent> events, IReadOnlyList<Message> added)
    {
        var notes = added.ToLookup(m => m.Ticket?.Id ?? m.TicketId, m => m.BodyText.Length > 500 ? m.BodyText[..500] : m.BodyText);
        return events.GroupBy(e => e.Ticket?.Id ?? e.TicketId).Select(g =>
        {
            var first = g.First();
            var ticket = first.Ticket;
            return new TicketChanged(
                g.Key, g.Select(e => e.Type).Distinct().ToList(), ticket?.DepartmentId, ticket?.AssigneeId, ticket?.Status ?? TicketStatus.Open,
                first.ActorType, first.ActorId, first.ActorName, ticket?.Subject ?? "", notes[g.Key].FirstOrDefault());
        }).ToList();
    }
}
