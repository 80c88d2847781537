using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Core.Data;
using Switchboard.Core.Events;
using Switchboard.Core.Model;
using Switchboard.Core.Search;
using Switchboard.Tickets;

namespace Switchboard.Chat;

/// <summary>
/// One chat line to store: who sent it, in which chat, under which client id. A visitor's line names the
/// widget their connection was admitted for; an agent's line says whether the agent is an admin. The writer
/// checks the chat against these in the batch that stores the line, so a live chat costs no read per line.
/// </summary>
internal sealed record LineToWrite(
    long ConversationId, string ClientId, string Text, ActorType Sender, long? AgentId, string? AgentName, DateTimeOffset At,
    long? WidgetId = null, bool SenderIsAdmin = false);

/// <summary>What became of a line.</summary>
internal enum LineOutcome
{
    /// <summary>Stored by this call: the caller relays it.</summary>
    Stored,

    /// <summary>The client id was already stored (a resend): the stored line, not relayed again.</summary>
    Duplicate,

    /// <summary>
    /// Not stored: the chat is not one this sender may write in now (ended, taken by someone else, not
    /// theirs). The caller looks at the chat itself and answers why.
    /// </summary>
    Refused,
}

/// <summary>A line's fate, with the chat's answering agent as stored when it was written (null: none).</summary>
internal readonly record struct LineWritten(ChatLineDto? Line, LineOutcome Outcome, long? ChatAgentId);

internal sealed class ChatLineWriter(
    IServiceScopeFactory scopes, TicketFeed feed, IEnumerable<ITicketMessageClock> clocks, ILogger<ChatLineWriter> logger) : BackgroundService
{
    private readonly ITicketMessageClock[] _clocks = [.. clocks];

    /// <summary>Most lines in one transaction: past this a batch holds SQLite's write lock longer than a sync takes.</summary>
    private const int MaxBatch = 256;

    private sealed record Pending(LineToWrite Line, TaskCompletionSource<LineWritten> Done);

    private readonly Channel<Pending> _queue = System.Threading.Channels.Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Stores the line unless the chat refuses it; answers once it is stored.</summary>
    public Task<LineWritten> WriteAsync(LineToWrite line)
    {
        var done = new TaskCompletionSource<LineWritten>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(line, done))) done.SetException(new InvalidOperationException("The chat line writer has stopped."));
        return done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await LoopAsync(stoppingToken);
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var left)) left.Done.TrySetCanceled(stoppingToken);
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
                if (batch.Count == 0) continue;
                try
                {
                    await WriteBatchAsync(batch, lookForResends: false, stoppingToken);
                }
                catch (Exception e) when (e is DbUpdateException or DbException)
                {
                    // A line already stored (a resend after a lost acknowledgement) broke the unique client id:
                    // the same batch again, this time reading which lines are stored, so each resend gets its line.
                    await WriteOrSplitAsync(batch, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    await FailOrSplitAsync(batch, e, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; callers still waiting see their call cancelled.
            foreach (var p in batch) p.Done.TrySetCanceled(stoppingToken);
        }
    }

    private async Task WriteOrSplitAsync(List<Pending> batch, CancellationToken stoppingToken)
    {
        try
        {
            await WriteBatchAsync(batch, lookForResends: true, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await FailOrSplitAsync(batch, e, stoppingToken);
        }
    }

    private async Task FailOrSplitAsync(List<Pending> batch, Exception e, CancellationToken stoppingToken)
    {
        if (batch.Count == 1)
        {
            batch[0].Done.TrySetException(e);
            return;
        }
        logger.LogWarning(e, "A batch of {Count} chat lines failed; storing them one by one.", batch.Count);
        foreach (var one in batch)
        {
            try
            {
                await WriteBatchAsync([one], lookForResends: true, stoppingToken);
            }
            catch (Exception single) when (single is not OperationCanceledException)
            {
                one.Done.TrySetException(single);
            }
        }
    }

    /// <summary>
    /// Stores a batch in one transaction with one read before it: each chat's state with its ticket. The rows are
    /// plain statements (<see cref="ChatRows"/>); the SLA clocks and the ticket feed, which a save's interceptors
    /// would run, are called here. Lines already stored are looked for only when <paramref name="lookForResends"/>:
    /// the first try leaves that to the unique client id, whose violation brings the batch back here with it.
    /// A visitor's line on a ticket that must open again (pending, answered, resolved) takes the tracked path,
    /// where the status change and its SLA consequences are a save's work.
    /// </summary>
    private async Task WriteBatchAsync(List<Pending> batch, bool lookForResends, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var (conversations, tickets, results, accepted) = await ReadAsync(db, batch, lookForResends, tracked: false, ct);
        if (accepted.Any(a => a.Pending.Line.Sender == ActorType.Contact && Reopens(tickets[a.Chat.TicketId].Status)))
        {
            await WriteTrackedBatchAsync(batch, lookForResends, ct);
            return;
        }

        var added = new Dictionary<(long, string), ChatLine>();
        var written = new List<(ChatLine Line, Message Message, string Tokens)>(accepted.Count);
        var messages = new List<(Ticket Ticket, Message Message)>(accepted.Count);
        var events = new List<TicketEvent>(accepted.Count);
        var counts = new Dictionary<Ticket, (int Added, DateTimeOffset At, DateTimeOffset? FirstResponse)>(ReferenceEqualityComparer.Instance);
        foreach (var (p, chat) in accepted)
        {
            var l = p.Line;
            var key = (l.ConversationId, l.ClientId);
            if (IsTwin(added, key, p, results)) continue;
            var ticket = tickets[chat.TicketId];
            var fromVisitor = l.Sender == ActorType.Contact;
            var message = new Message
            {
                TicketId = ticket.Id,
                Kind = MessageKind.Reply,
                Direction = fromVisitor ? MessageDirection.Inbound : MessageDirection.Outbound,
                Channel = Core.Model.Channel.Chat,
                AuthorType = fromVisitor ? ActorType.Contact : ActorType.Agent,
                AuthorContactId = fromVisitor ? chat.ContactId : null,
                AuthorAgentId = fromVisitor ? null : l.AgentId,
                BodyText = l.Text,
                DeliveryStatus = fromVisitor ? null : "sent",
                CreatedAt = l.At,
            };
            // What TicketIntake.AddCustomerMessage and an agent's reply do to the ticket, for the clocks and the feed.
            ticket.MessageCount++;
            ticket.UpdatedAt = l.At;
            ticket.LastMessageAt = l.At;
            if (!fromVisitor) ticket.FirstResponseAt ??= l.At;
            var count = counts.GetValueOrDefault(ticket);
            counts[ticket] = (count.Added + 1, l.At, count.FirstResponse ?? (fromVisitor ? null : l.At));
            events.Add(new TicketEvent
            {
                TicketId = ticket.Id,
                Ticket = ticket,
                ActorType = fromVisitor ? ActorType.Contact : ActorType.Agent,
                ActorId = fromVisitor ? chat.ContactId : l.AgentId,
                ActorName = fromVisitor ? chat.ContactName : l.AgentName,
                Type = fromVisitor ? "customer_replied" : "replied",
                CreatedAt = l.At,
            });
            var line = new ChatLine
            {
                ConversationId = l.ConversationId,
                ClientId = l.ClientId,
                SenderType = l.Sender,
                AgentId = l.AgentId,
                Text = l.Text,
                CreatedAt = l.At,
            };
            written.Add((line, message, SearchText.IndexTokens(l.Text)));
            messages.Add((ticket, message));
            added[key] = line;
            results.Add((p, line, LineOutcome.Stored));
        }
        if (written.Count > 0)
        {
            foreach (var clock in _clocks) await clock.MessagesAddedAsync(db, messages, ct);
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                await using var rows = new ChatRows(db);
                foreach (var (line, message, tokens) in written) await rows.AddLineAsync(line, message, tokens, ct);
                foreach (var e in events) await rows.AddEventAsync(e, ct);
                foreach (var (ticket, count) in counts) await rows.UpdateTicketAsync(ticket, count.Added, count.At, count.FirstResponse, ct);
                await rows.FlushAsync(ct);
                await transaction.CommitAsync(ct);
            }
        }
        // The senders first: their lines are stored, and each relays its own; the inboxes' refresh can follow.
        Answer(results, conversations);
        if (events.Count > 0) feed.PublishWritten(events);
    }

    private static bool Reopens(TicketStatus status) => status is TicketStatus.Pending or TicketStatus.Answered or TicketStatus.Resolved or TicketStatus.Closed;

    /// <summary>The same line twice in one batch (a resend racing the original): stored once, relayed once.</summary>
    private static bool IsTwin(
        Dictionary<(long, string), ChatLine> added, (long, string) key, Pending p, List<(Pending Pending, ChatLine? Line, LineOutcome Outcome)> results)
    {
        if (!added.TryGetValue(key, out var twin)) return false;
        results.Add((p, twin, LineOutcome.Duplicate));
        return true;
    }

    private static void Answer(List<(Pending Pending, ChatLine? Line, LineOutcome Outcome)> results, Dictionary<long, ChatState> conversations)
    {
        foreach (var (p, line, outcome) in results)
        {
            var agentId = conversations.TryGetValue(p.Line.ConversationId, out var chat) ? chat.AgentId : null;
            p.Done.TrySetResult(new LineWritten(line is null ? null : ChatText.ToDto(line, p.Line.AgentName, line.Attachment), outcome, agentId));
        }
    }

    /// <summary>
    /// The batch's one read: each chat's state with its ticket (tracked when the caller saves through the context), the
    /// lines already stored when <paramref name="lookForResends"/>; and each line's fate so far — refused, a resend, or
    /// accepted for writing.
    /// </summary>
    private static async Task<(Dictionary<long, ChatState> Conversations, Dictionary<long, Ticket> Tickets,
        List<(Pending Pending, ChatLine? Line, LineOutcome Outcome)> Results, List<(Pending Pending, ChatState Chat)> Accepted)> ReadAsync(
        SwitchboardDb db, List<Pending> batch, bool lookForResends, bool tracked, CancellationToken ct)
    {
        var conversationIds = batch.Select(p => p.Line.ConversationId).Distinct().ToList();
        var query = db.ChatConversations.Where(c => conversationIds.Contains(c.Id));
        if (!tracked) query = query.AsNoTracking();
        var rows = await query
            .Select(c => new { State = new ChatState(c.Id, c.TicketId, c.ContactId, c.Contact!.Name, c.WidgetId, c.Status, c.AgentId), c.Ticket })
            .ToListAsync(ct);
        var conversations = new Dictionary<long, ChatState>(rows.Count);
        var tickets = new Dictionary<long, Ticket>(rows.Count);
        foreach (var row in rows)
        {
            conversations[row.State.Id] = row.State;
            tickets[row.State.TicketId] = row.Ticket!;
        }
        var known = new Dictionary<(long, string), ChatLine>();
        if (lookForResends)
        {
            var clientIds = batch.Select(p => p.Line.ClientId).Distinct().ToList();
            foreach (var stored in await db.ChatLines.AsNoTracking().Include(l => l.Attachment)
                .Where(l => conversationIds.Contains(l.ConversationId) && clientIds.Contains(l.ClientId)).ToListAsync(ct))
            {
                known[(stored.ConversationId, stored.ClientId)] = stored;
            }
        }

        var results = new List<(Pending Pending, ChatLine? Line, LineOutcome Outcome)>(batch.Count);
        var accepted = new List<(Pending Pending, ChatState Chat)>(batch.Count);
        foreach (var p in batch)
        {
            var l = p.Line;
            var key = (l.ConversationId, l.ClientId);
            if (!conversations.TryGetValue(l.ConversationId, out var chat) || !MayWrite(l, chat))
            {
                results.Add((p, null, LineOutcome.Refused));
                continue;
            }
            if (known.TryGetValue(key, out var stored))
            {
                results.Add((p, stored, LineOutcome.Duplicate));
                continue;
            }
            if (l.Sender == ActorType.Contact && chat.Status is ChatStatus.Ended or ChatStatus.Missed)
            {
                results.Add((p, null, LineOutcome.Refused));
                continue;
            }
            accepted.Add((p, chat));
        }
        return (conversations, tickets, results, accepted);
    }

    /// <summary>
    /// The batch through the context: its tickets tracked and saved with the messages, so a visitor's line on a ticket
    /// that opens again goes through the same status change (history, SLA clocks) as any other customer reply.
    /// </summary>
    private async Task WriteTrackedBatchAsync(List<Pending> batch, bool lookForResends, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var (conversations, tickets, results, accepted) = await ReadAsync(db, batch, lookForResends, tracked: true, ct);
        var added = new Dictionary<(long, string), ChatLine>();
        foreach (var (p, chat) in accepted)
        {
            var l = p.Line;
            var key = (l.ConversationId, l.ClientId);
            if (IsTwin(added, key, p, results)) continue;
            var ticket = tickets[chat.TicketId];
            Message message;
            if (l.Sender == ActorType.Contact)
            {
                // The visitor's contact as the message's author (its id and name); the contact row itself is not changed.
                var contact = new Contact { Id = chat.ContactId, Name = chat.ContactName };
                message = new Message { Channel = Core.Model.Channel.Chat, BodyText = l.Text, AuthorContactId = contact.Id, CreatedAt = l.At };
                TicketIntake.AddCustomerMessage(db, ticket, contact, message, l.At);
            }
            else
            {
                message = new Message
                {
                    Ticket = ticket,
                    Kind = MessageKind.Reply,
                    Direction = MessageDirection.Outbound,
                    Channel = Core.Model.Channel.Chat,
                    AuthorType = ActorType.Agent,
                    AuthorAgentId = l.AgentId,
                    BodyText = l.Text,
                    DeliveryStatus = "sent",
                    CreatedAt = l.At,
                };
                db.Messages.Add(message);
                SearchIndex.AddMessage(db, ticket, message);
                ticket.MessageCount++;
                ticket.UpdatedAt = l.At;
                ticket.LastMessageAt = l.At;
                ticket.FirstResponseAt ??= l.At;
                History.Record(db, ticket, new Actor(ActorType.Agent, l.AgentId, l.AgentName), "replied", l.At);
            }
            var line = new ChatLine
            {
                ConversationId = l.ConversationId,
                ClientId = l.ClientId,
                Message = message,
                SenderType = l.Sender,
                AgentId = l.AgentId,
                Text = l.Text,
                CreatedAt = l.At,
            };
            db.ChatLines.Add(line);
            added[key] = line;
            results.Add((p, line, LineOutcome.Stored));
        }
        if (added.Count > 0) await db.SaveChangesAsync(ct);
        Answer(results, conversations);
    }

    /// <summary>
    /// A visitor writes only in a chat of the widget their connection was admitted for; an agent only in a
    /// live chat they answer (admins in any live chat). Anything else is answered by the caller's own checks.
    /// </summary>
    private static bool MayWrite(LineToWrite line, ChatState chat) => line.Sender == ActorType.Contact
        ? line.WidgetId is null || line.WidgetId == chat.WidgetId
        : chat.Status == ChatStatus.Active && (chat.AgentId == line.AgentId || line.SenderIsAdmin);

    private sealed record ChatState(long Id, long TicketId, long ContactId, string ContactName, long WidgetId, ChatStatus Status, long? AgentId);
}
