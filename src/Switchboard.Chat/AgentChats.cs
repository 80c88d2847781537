using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;
using Switchboard.Tickets;

namespace Switchboard.Chat;

/// <summary>A chat with its lines, as an agent opens it.</summary>
public sealed record ChatDetailDto(ChatSummaryDto Chat, IReadOnlyList<ChatLineDto> Lines);

internal sealed record TransferRequest(long? AgentId, long? DepartmentId);

internal sealed record AgentLineRequest(string? ClientId, string? Text);

/// <summary>The agent's side of a chat: take or decline an offer, answer, transfer, end.</summary>
internal sealed class AgentChats(
    SwitchboardDb db, TimeProvider time, ChatNotifier notify, ChatSignal signal, ChatAssignments assignments, ChatLineWriter writer, IOptions<ChatOptions> options)
{
    private const string Gone = "This chat is no longer waiting for you: another agent took it, it rang out or it ended.";

    public async Task<IReadOnlyList<ChatSummaryDto>> ListAsync(CurrentAgent agent, bool queue, CancellationToken ct)
    {
        var query = db.ChatConversations.AsNoTracking();
        query = queue
            ? query.Where(c => c.Status == ChatStatus.Queued || c.Status == ChatStatus.Ringing)
            : query.Where(c => c.Status == ChatStatus.Active && c.AgentId == agent.Id);
        var chats = await query.OrderBy(c => c.QueuedAt).ThenBy(c => c.Id).Take(500).ToListAsync(ct);
        return chats.Where(c => !queue || agent.CanSee(c.DepartmentId, null)).Select(ChatText.Summary).ToList();
    }

    public async Task<ChatDetailDto> GetAsync(CurrentAgent agent, long id, CancellationToken ct)
    {
        var c = await LoadVisibleAsync(agent, id, ct);
        return new ChatDetailDto(ChatText.Summary(c), await LinesAsync(c.Id, ct));
    }

    public async Task<ChatDetailDto> AcceptAsync(CurrentAgent agent, long id, CancellationToken ct)
    {
        var c = await LoadVisibleAsync(agent, id, ct);
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Conditional update: of two agents taking the same chat at once, exactly one wins.
        var taken = c.Status switch
        {
            ChatStatus.Ringing when c.RingingAgentId == agent.Id => await db.ChatConversations
                .Where(x => x.Id == id && x.Status == ChatStatus.Ringing && x.RingingAgentId == agent.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, ChatStatus.Active).SetProperty(x => x.AgentId, agent.Id)
                    .SetProperty(x => x.RingingAgentId, (long?)null).SetProperty(x => x.AcceptedAt, now), ct),
            ChatStatus.Queued or ChatStatus.Ringing => await db.ChatConversations
                .Where(x => x.Id == id && (x.Status == ChatStatus.Queued || x.Status == ChatStatus.Ringing))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, ChatStatus.Active).SetProperty(x => x.AgentId, agent.Id)
                    .SetProperty(x => x.RingingAgentId, (long?)null).SetProperty(x => x.AcceptedAt, now), ct),
            _ => 0,
        };
        if (taken == 0) throw ProblemException.Conflict(Gone);
        var ringing = c.RingingAgentId;
        await db.Entry(c).ReloadAsync(ct);
        await AssignTicketAsync(c, agent.Id, Actor.Of(agent), now, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        assignments.Set(c.Id, agent.Id);
        if (ringing is { } other && other != agent.Id) await notify.Agent(other).OfferWithdrawn(c.Id);
        var summary = ChatText.Summary(c);
        await notify.Agent(agent.Id).Assigned(summary);
        await notify.Visitor(c.Id).State(await VisitorStateAsync(c, ct));
        signal.Poke();
        return new ChatDetailDto(summary, await LinesAsync(c.Id, ct));
    }

    public async Task DeclineAsync(CurrentAgent agent, long id, CancellationToken ct)
    {
        var c = await LoadVisibleAsync(agent, id, ct);
        if (c.Status != ChatStatus.Ringing || c.RingingAgentId != agent.Id) throw ProblemException.Conflict(Gone);
        var passed = ChatLifecycle.WithPassed(c, agent.Id);
        var n = await db.ChatConversations.Where(x => x.Id == id && x.Status == ChatStatus.Ringing && x.RingingAgentId == agent.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, ChatStatus.Queued).SetProperty(x => x.RingingAgentId, (long?)null)
                .SetProperty(x => x.PassedAgentIds, passed), ct);
        if (n == 0) throw ProblemException.Conflict(Gone);
        await notify.Agent(agent.Id).OfferWithdrawn(id);
        signal.Poke();
    }

    public async Task<ChatLineDto> SendAsync(CurrentAgent agent, long id, AgentLineRequest request, CancellationToken ct)
    {
        var clientId = ChatText.ClientId(request.ClientId);
        var text = ChatText.Message(request.Text, options.Value.MaxMessageLength);
        LineToWrite Line() => new(id, clientId, text, ActorType.Agent, agent.Id, agent.Name, time.GetUtcNow(), SenderIsAdmin: agent.IsAdmin);
        // A live chat this agent answers: the writer checks that in the batch that stores the line, with no read here.
        var written = await writer.WriteAsync(Line());
        if (written.Outcome == LineOutcome.Refused)
        {
            var c = await LoadVisibleAsync(agent, id, ct);
            if (c.Status != ChatStatus.Active || (c.AgentId != agent.Id && !agent.IsAdmin))
            {
                // A line resent after the chat moved on was stored before: answer it again.
                var known = await db.ChatLines.AsNoTracking().FirstOrDefaultAsync(l => l.ConversationId == id && l.ClientId == clientId, ct);
                if (known is not null) return ChatText.ToDto(known, agent.Name, null);
                throw NotAnswering();
            }
            // The chat became this agent's between the writer's check and the read: write again.
            written = await writer.WriteAsync(Line());
        }
        if (written.Outcome == LineOutcome.Stored) await RelayAsync(agent, id, written.Line!);
        // Still refused: the chat moved on between the read and the write.
        return written.Line ?? throw NotAnswering();
    }

    private static ProblemException NotAnswering() =>
        ProblemException.Conflict("Only the agent answering this chat can write in it while it is live; add a note or reply on the ticket instead.");

    private async Task RelayAsync(CurrentAgent agent, long id, ChatLineDto line)
    {
        await notify.Visitor(id).Line(line);
        await notify.Agent(agent.Id).Line(id, line);
    }

    public async Task TypingAsync(CurrentAgent agent, long id, bool typing)
    {
        if (assignments.TryGet(id, out var owner) && owner == agent.Id) await notify.Visitor(id).AgentTyping(typing);
    }

    public async Task ReadAsync(CurrentAgent agent, long id, long upToId, CancellationToken ct)
    {
        var c = await LoadVisibleAsync(agent, id, ct);
        if (upToId <= c.LastReadByAgent) return;
        await db.ChatConversations.Where(x => x.Id == id && x.LastReadByAgent < upToId).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastReadByAgent, upToId), ct);
        await notify.Visitor(id).Read(upToId);
    }

    public async Task<ChatSummaryDto> TransferAsync(CurrentAgent agent, long id, TransferRequest request, CancellationToken ct)
    {
        var c = await LoadVisibleAsync(agent, id, ct);
        if (c.Status != ChatStatus.Active || (c.AgentId != agent.Id && !agent.IsAdmin))
        {
            throw ProblemException.Conflict("Only the agent answering a live chat can transfer it.");
        }
        if ((request.AgentId is null) == (request.DepartmentId is null))
        {
            throw ProblemException.Invalid("agentId", "Transfer to an agent (agentId) or to a department (departmentId), one of the two.");
        }
        var now = time.GetUtcNow();
        var actor = Actor.Of(agent);
        var previous = c.AgentId;
        var ticket = await db.Tickets.FirstAsync(t => t.Id == c.TicketId, ct);
        if (request.AgentId is { } to)
        {
            var target = await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Id == to && a.IsActive, ct)
                ?? throw ProblemException.Invalid("agentId", $"Agent {to} does not exist or is deactivated.");
            c.AgentId = target.Id;
            History.Change(db, ticket, actor, now, "assignee", ticket.AssigneeId, (long?)target.Id);
            ticket.AssigneeId = target.Id;
            History.Record(db, ticket, actor, "chat_transferred", now, "agent", previous?.ToString(System.Globalization.CultureInfo.InvariantCulture), target.Name);
            await db.SaveChangesAsync(ct);
            assignments.Set(c.Id, target.Id);
            await notify.Agent(target.Id).Assigned(ChatText.Summary(c));
        }
        else
        {
            var department = await db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == request.DepartmentId, ct)
                ?? throw ProblemException.Invalid("departmentId", $"Department {request.DepartmentId} does not exist.");
            c.Status = ChatStatus.Queued;
            c.QueuedAt = now;
            c.AgentId = null;
            c.DepartmentId = department.Id;
            c.PassedAgentIds = previous is { } p ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            History.Change(db, ticket, actor, now, "department", ticket.DepartmentId, (long?)department.Id);
            History.Change(db, ticket, actor, now, "assignee", ticket.AssigneeId, (long?)null);
            ticket.DepartmentId = department.Id;
            ticket.AssigneeId = null;
            History.Record(db, ticket, actor, "chat_transferred", now, "department", null, department.Name);
            await db.SaveChangesAsync(ct);
            assignments.Set(c.Id, null);
            signal.Poke();
        }
        if (previous is { } old && old != c.AgentId) await notify.Agent(old).Ended(c.Id, "transferred");
        await notify.Visitor(c.Id).State(await VisitorStateAsync(c, ct));
        return ChatText.Summary(c);
    }

    public async Task EndAsync(CurrentAgent agent, long id, CancellationToken ct)
    {
        var c = await LoadVisibleAsync(agent, id, ct);
        if (c.Status is ChatStatus.Ended or ChatStatus.Missed) return;
        if (c.Status == ChatStatus.Active && c.AgentId != agent.Id && !agent.IsAdmin) throw ProblemException.Conflict("Only the agent answering this chat can end it.");
        await ChatLifecycle.EndAsync(db, c, Actor.Of(agent), time.GetUtcNow(), ct);
        assignments.Set(c.Id, null);
        await notify.Agent(agent.Id).Ended(c.Id, "agent");
        await notify.Visitor(c.Id).State(await VisitorStateAsync(c, ct));
        signal.Poke();
    }

    private async Task AssignTicketAsync(ChatConversation c, long agentId, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var ticket = await db.Tickets.FirstAsync(t => t.Id == c.TicketId, ct);
        History.Change(db, ticket, actor, now, "assignee", ticket.AssigneeId, (long?)agentId);
        ticket.AssigneeId = agentId;
        if (ticket.Status == TicketStatus.New)
        {
            History.Change(db, ticket, actor, now, "status", ticket.Status, TicketStatus.Open);
            ticket.Status = TicketStatus.Open;
        }
        ticket.UpdatedAt = now;
        History.Record(db, ticket, actor, "chat_accepted", now);
    }

    private async Task<ChatConversation> LoadVisibleAsync(CurrentAgent agent, long id, CancellationToken ct)
    {
        var c = await db.ChatConversations.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null || !(agent.CanSee(c.DepartmentId, c.AgentId) || c.RingingAgentId == agent.Id)) throw ProblemException.NotFound($"Chat {id}");
        return c;
    }

    private async Task<List<ChatLineDto>> LinesAsync(long id, CancellationToken ct)
    {
        var stored = await db.ChatLines.AsNoTracking().Include(l => l.Attachment).Where(l => l.ConversationId == id).OrderBy(l => l.Id).ToListAsync(ct);
        var agentIds = stored.Where(l => l.AgentId != null).Select(l => l.AgentId!.Value).Distinct().ToList();
        var names = await db.Agents.AsNoTracking().Where(a => agentIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        return stored.Select(l => ChatText.ToDto(l, l.AgentId is { } a ? names.GetValueOrDefault(a) : null, l.Attachment)).ToList();
    }

    private async Task<VisitorState> VisitorStateAsync(ChatConversation c, CancellationToken ct)
    {
        var agentName = c.AgentId is { } a ? await db.Agents.AsNoTracking().Where(x => x.Id == a).Select(x => x.Name).FirstOrDefaultAsync(ct) : null;
        int? position = c.Status is ChatStatus.Queued or ChatStatus.Ringing ? await ChatLifecycle.QueuePositionAsync(db, c, ct) : null;
        var rated = await db.Tickets.AsNoTracking().Where(t => t.Id == c.TicketId).Select(t => t.Rating != SatisfactionRating.None).FirstAsync(ct);
        return new VisitorState(c.Id, ChatText.Status(c.Status), position, agentName, null, c.LastReadByAgent, rated);
    }
}
