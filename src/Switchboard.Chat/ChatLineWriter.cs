using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
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

internal sealed class ChatLineWriter(IServiceScopeFactory scopes, ILogger<ChatLineWriter> logger) : BackgroundService
{
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
                catch (DbUpdateException)
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
    /// Stores a batch in one transaction with one read before it: each chat's state with its ticket (tracked, for
    /// its counters). Lines already stored are looked for only when <paramref name="lookForResends"/>: the first
    /// try leaves that to the unique client id, whose violation brings the batch back here with it.
    /// </summary>
    private async Task WriteBatchAsync(List<Pending> batch, bool lookForResends, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var conversationIds = batch.Select(p => p.Line.ConversationId).Distinct().ToList();
        // A tracking query: the tickets in the projection are tracked, so their counters are saved below.
        var rows = await db.ChatConversations.Where(c => conversationIds.Contains(c.Id))
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
        var added = new Dictionary<(long, string), ChatLine>();
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

        foreach (var (p, chat) in accepted)
        {
            var l = p.Line;
            var key = (l.ConversationId, l.ClientId);
            if (added.TryGetValue(key, out var twin))
            {
                // The same line twice in one batch (a resend racing the original): stored once, relayed once.
                results.Add((p, twin, LineOutcome.Duplicate));
                continue;
            }
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
        foreach (var (p, line, outcome) in results)
        {
            var agentId = conversations.TryGetValue(p.Line.ConversationId, out var chat) ? chat.AgentId : null;
            p.Done.TrySetResult(new LineWritten(line is null ? null : ChatText.ToDto(line, p.Line.AgentName, line.Attachment), outcome, agentId));
        }
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
