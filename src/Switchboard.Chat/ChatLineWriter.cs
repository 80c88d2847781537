using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Tickets;

namespace Switchboard.Chat;

/// <summary>One chat line to store: who sent it, in which chat, under which client id.</summary>
internal sealed record LineToWrite(long ConversationId, string ClientId, string Text, ActorType Sender, long? AgentId, string? AgentName, DateTimeOffset At);

/// <summary>
/// Stores chat lines in group commits: every line waiting when the writer is free goes into one
/// transaction (line, ticket message, search entry, ticket event, ticket counters). A database that
/// syncs every commit to disk (SQLite) then carries many chats' lines per sync instead of one, and
/// each caller still hears back only once its line is stored. A batch that fails is retried line
/// by line, so one bad line never takes others down with it.
/// </summary>
internal sealed class ChatLineWriter(IServiceScopeFactory scopes, ILogger<ChatLineWriter> logger) : BackgroundService
{
    private sealed record Pending(LineToWrite Line, TaskCompletionSource<(ChatLineDto Line, bool Stored)> Done);

    private readonly Channel<Pending> _queue = System.Threading.Channels.Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });

    /// <summary>The stored line, and whether this call stored it (false: the client id was already there).</summary>
    public Task<(ChatLineDto Line, bool Stored)> WriteAsync(LineToWrite line)
    {
        var done = new TaskCompletionSource<(ChatLineDto, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(line, done))) done.SetException(new InvalidOperationException("The chat line writer has stopped."));
        return done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        bool sqlite;
        await using (var scope = scopes.CreateAsyncScope())
        {
            sqlite = scope.ServiceProvider.GetRequiredService<SwitchboardDb>().IsSqlite;
        }
        // SQLite has one writer: one loop with big batches. PostgreSQL commits in parallel: a few loops with smaller ones.
        var loops = sqlite ? 1 : 4;
        var maxBatch = sqlite ? 256 : 32;
        await Task.WhenAll(Enumerable.Range(0, loops).Select(_ => LoopAsync(maxBatch, stoppingToken)));
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var left)) left.Done.TrySetCanceled(stoppingToken);
    }

    private async Task LoopAsync(int maxBatch, CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(maxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < maxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
                if (batch.Count == 0) continue;
                try
                {
                    await WriteBatchAsync(batch, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException && batch.Count > 1)
                {
                    logger.LogWarning(e, "A batch of {Count} chat lines failed; storing them one by one.", batch.Count);
                    foreach (var one in batch)
                    {
                        try
                        {
                            await WriteBatchAsync([one], stoppingToken);
                        }
                        catch (Exception single) when (single is not OperationCanceledException)
                        {
                            one.Done.TrySetException(single);
                        }
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    batch[0].Done.TrySetException(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; callers still waiting see their call cancelled.
            foreach (var p in batch) p.Done.TrySetCanceled(stoppingToken);
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var conversationIds = batch.Select(p => p.Line.ConversationId).Distinct().ToList();
        var clientIds = batch.Select(p => p.Line.ClientId).Distinct().ToList();
        var conversations = await db.ChatConversations.AsNoTracking().Where(c => conversationIds.Contains(c.Id))
            .Select(c => new { c.Id, c.TicketId, c.ContactId }).ToDictionaryAsync(c => c.Id, ct);
        var known = await db.ChatLines.AsNoTracking().Include(l => l.Attachment)
            .Where(l => conversationIds.Contains(l.ConversationId) && clientIds.Contains(l.ClientId)).ToListAsync(ct);
        var ticketIds = conversations.Values.Select(c => c.TicketId).Distinct().ToList();
        var tickets = await db.Tickets.Where(t => ticketIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        var contactIds = batch.Where(p => p.Line.Sender == ActorType.Contact).Select(p => conversations[p.Line.ConversationId].ContactId).Distinct().ToList();
        var contacts = await db.Contacts.Where(c => contactIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);

        var results = new List<(Pending Pending, ChatLine Line, bool Stored)>(batch.Count);
        var added = new Dictionary<(long, string), ChatLine>();
        foreach (var p in batch)
        {
            var l = p.Line;
            var key = (l.ConversationId, l.ClientId);
            if (known.FirstOrDefault(k => k.ConversationId == l.ConversationId && k.ClientId == l.ClientId) is { } stored)
            {
                results.Add((p, stored, false));
                continue;
            }
            if (added.TryGetValue(key, out var twin))
            {
                results.Add((p, twin, false));
                continue;
            }
            var conversation = conversations[l.ConversationId];
            var ticket = tickets[conversation.TicketId];
            Message message;
            if (l.Sender == ActorType.Contact)
            {
                var contact = contacts[conversation.ContactId];
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
            results.Add((p, line, true));
        }
        await db.SaveChangesAsync(ct);
        foreach (var (p, line, stored) in results)
        {
            p.Done.TrySetResult((ChatText.ToDto(line, p.Line.AgentName, line.Attachment), stored && ReferenceEquals(added[(p.Line.ConversationId, p.Line.ClientId)], line) && IsFirst(results, p, line)));
        }
    }

    /// <summary>A line sent twice in one batch is published once: by the first of its callers.</summary>
    private static bool IsFirst(List<(Pending Pending, ChatLine Line, bool Stored)> results, Pending p, ChatLine line) =>
        ReferenceEquals(results.First(r => ReferenceEquals(r.Line, line)).Pending, p);
}
