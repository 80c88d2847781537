using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Events;
using Switchboard.Core.Model;
using Switchboard.Tickets;

namespace Switchboard.Chat;

internal sealed record PageInfo(string? Url, string? Title, string? Referrer, string? Locale);

internal sealed record IdentityClaim(string? UserId, string? Email, string? Name, string? Signature);

internal sealed record StartChatRequest(
    string? Token, string? Name, string? Email, Dictionary<string, string>? Fields, string? ClientId, string? Text, IdentityClaim? Identity, PageInfo? Page);

internal sealed record LeaveMessageRequest(string? Token, string? Name, string? Email, string? Text, PageInfo? Page);

/// <summary>The visitor's side of a chat: start, send (exactly once), read, end, rate, transcript, offline message.</summary>
internal sealed class VisitorChats(
    SwitchboardDb db, TimeProvider time, ChatNotifier notify, ChatSignal signal, ChatAssignments assignments, ChatLineWriter writer,
    IOptions<ChatOptions> options, IEnumerable<ISystemMailer> mailers)
{
    public async Task<ChatConversation?> FindAsync(long widgetId, string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length is < 32 or > 200) return null;
        var hash = IdentitySignature.HashToken(token);
        return await db.ChatConversations.FirstOrDefaultAsync(c => c.VisitorTokenHash == hash && c.WidgetId == widgetId, ct);
    }

    public Task<ChatConversation?> FindByIdAsync(long widgetId, long id, CancellationToken ct) =>
        db.ChatConversations.FirstOrDefaultAsync(c => c.Id == id && c.WidgetId == widgetId, ct);

    public async Task<(ChatConversation Conversation, VisitorState State)> StartAsync(WidgetInfo widget, StartChatRequest request, string? userAgent, CancellationToken ct)
    {
        var token = request.Token ?? "";
        if (token.Length is < 32 or > 200) throw ProblemException.Invalid("token", "The visitor token must have 32 to 200 characters.");
        // Start is idempotent per token: a start whose answer was lost is answered again, not repeated.
        if (await FindAsync(widget.Id, token, ct) is { } again) return (again, await StateAsync(again, true, ct));

        var name = Parse.Text(request.Name, "name", 200);
        var text = ChatText.Message(request.Text, options.Value.MaxMessageLength);
        var clientId = ChatText.ClientId(request.ClientId);
        var fields = PreChatValues(widget, request.Fields);
        var now = time.GetUtcNow();
        var (contact, email, verified) = await VisitorContactAsync(widget, name, request.Email, request.Identity, now, ct);
        var subject = "Chat: " + (text.Length > 80 ? text[..80] + "…" : text);
        var message = new Message { Channel = Channel.Chat, BodyText = text, CreatedAt = now };
        var ticket = TicketIntake.Open(db, contact, subject, message, widget.DepartmentId, now);
        var conversation = new ChatConversation
        {
            WidgetId = widget.Id,
            Ticket = ticket,
            Contact = contact,
            DepartmentId = widget.DepartmentId,
            VisitorTokenHash = IdentitySignature.HashToken(token),
            Status = ChatStatus.Queued,
            QueuedAt = now,
            VisitorName = contact.Name,
            VisitorEmail = email,
            IdentityVerified = verified,
            PreChatValues = JsonSerializer.Serialize(fields),
            UserAgent = userAgent is { Length: > 500 } ? userAgent[..500] : userAgent,
            CreatedAt = now,
        };
        Track(conversation, request.Page);
        db.ChatConversations.Add(conversation);
        db.ChatLines.Add(new ChatLine
        {
            Conversation = conversation,
            ClientId = clientId,
            Message = message,
            SenderType = ActorType.Contact,
            Text = text,
            CreatedAt = now,
        });
        History.Record(db, ticket, new Actor(ActorType.Contact, null, contact.Name), "chat_started", now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same start arrived twice at once: the one stored wins.
            db.ChangeTracker.Clear();
            var existing = await FindAsync(widget.Id, token, ct);
            if (existing is null) throw;
            return (existing, await StateAsync(existing, true, ct));
        }
        signal.Poke();
        return (conversation, await StateAsync(conversation, true, ct));
    }

    /// <summary>
    /// A signed identity links the chat to the contact with that email. An unsigned email links only
    /// when nobody has it yet; otherwise the visitor gets a contact of their own, so a claimed
    /// address never opens someone else's history.
    /// </summary>
    private async Task<(Contact Contact, string? Email, bool Verified)> VisitorContactAsync(
        WidgetInfo widget, string name, string? emailText, IdentityClaim? identity, DateTimeOffset now, CancellationToken ct)
    {
        if (identity is not null && IdentitySignature.IsValid(widget.IdentitySecret, identity.UserId, identity.Email, identity.Signature))
        {
            var verifiedEmail = Parse.Email(identity.Email);
            var known = await Contacts.FindOrCreateAsync(db, IdentityType.Email, verifiedEmail, null, string.IsNullOrWhiteSpace(identity.Name) ? name : identity.Name, now, ct);
            return (known, verifiedEmail, true);
        }
        string? email = string.IsNullOrWhiteSpace(emailText) ? null : Parse.Email(emailText);
        if (email is not null && !await db.ContactIdentities.AnyAsync(i => i.Type == IdentityType.Email && i.Provider == "" && i.Value == email, ct))
        {
            return (await Contacts.FindOrCreateAsync(db, IdentityType.Email, email, null, name, now, ct), email, false);
        }
        var contact = new Contact { Name = name, CreatedAt = now, UpdatedAt = now };
        db.Contacts.Add(contact);
        SearchIndex.AddContact(db, contact);
        return (contact, email, false);
    }

    private static Dictionary<string, string> PreChatValues(WidgetInfo widget, Dictionary<string, string>? given)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in widget.PreChatFields)
        {
            var value = given?.GetValueOrDefault(field.Key)?.Trim() ?? "";
            if (field.Required && value.Length == 0) throw ProblemException.Invalid(field.Key, $"{field.Label} is required.");
            if (value.Length > 500) throw ProblemException.Invalid(field.Key, $"{field.Label} must have at most 500 characters.");
            if (value.Length > 0) values[field.Key] = value;
        }
        return values;
    }

    public static void Track(ChatConversation conversation, PageInfo? page)
    {
        if (page is null) return;
        var url = Clip(page.Url, 2000);
        if (url is not null && url != conversation.CurrentPage)
        {
            conversation.CurrentPage = url;
            var pages = conversation.PagesVisited.Split('\n', StringSplitOptions.RemoveEmptyEntries).Append(url).TakeLast(50);
            conversation.PagesVisited = string.Join('\n', pages);
        }
        conversation.Referrer ??= Clip(page.Referrer, 2000);
        conversation.Locale = Clip(page.Locale, 35) ?? conversation.Locale;
    }

    private static string? Clip(string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Length > max ? value[..max] : value;

    /// <summary>
    /// A line from a visitor's connection in chat <paramref name="conversationId"/> of <paramref name="widgetId"/>.
    /// The writer checks the chat in the batch that stores the line; only a refused line reads the chat here,
    /// to answer why (or with the line stored before the chat ended).
    /// </summary>
    public async Task<ChatLineDto> SendAsync(long widgetId, long conversationId, string? clientIdText, string? textValue, string? exceptConnection, CancellationToken ct)
    {
        var clientId = ChatText.ClientId(clientIdText);
        var text = ChatText.Message(textValue, options.Value.MaxMessageLength);
        var written = await writer.WriteAsync(new LineToWrite(conversationId, clientId, text, ActorType.Contact, null, null, time.GetUtcNow(), widgetId));
        if (written.Outcome == LineOutcome.Stored) await PublishAsync(conversationId, written.ChatAgentId, written.Line!, exceptConnection);
        if (written.Outcome != LineOutcome.Refused) return written.Line!;
        var conversation = await FindByIdAsync(widgetId, conversationId, ct) ?? throw ProblemException.NotFound("This chat");
        return await SendAsync(conversation, clientId, text, exceptConnection, ct);
    }

    public async Task<ChatLineDto> SendAsync(ChatConversation conversation, string? clientIdText, string? textValue, string? exceptConnection, CancellationToken ct)
    {
        var clientId = ChatText.ClientId(clientIdText);
        if (conversation.Status is ChatStatus.Ended or ChatStatus.Missed)
        {
            // A line resent after the chat ended was stored before it ended: answer it again.
            return await LineAsync(conversation.Id, clientId, ct)
                ?? throw ProblemException.Conflict("This chat has ended; start a new one or leave a message.");
        }
        var text = ChatText.Message(textValue, options.Value.MaxMessageLength);
        var written = await writer.WriteAsync(new LineToWrite(conversation.Id, clientId, text, ActorType.Contact, null, null, time.GetUtcNow(), conversation.WidgetId));
        if (written.Outcome == LineOutcome.Stored) await PublishAsync(conversation.Id, written.ChatAgentId, written.Line!, exceptConnection);
        // Refused here: the chat ended between the read and the write.
        return written.Line ?? throw ProblemException.Conflict("This chat has ended; start a new one or leave a message.");
    }

    /// <summary>Stores the line and its ticket message; null when the same client id won a race (the caller reads that one).</summary>
    public async Task<ChatLineDto?> AddVisitorLineAsync(ChatConversation conversation, string clientId, string text, Attachment? file, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ticket = await db.Tickets.FirstAsync(t => t.Id == conversation.TicketId, ct);
        var contact = await db.Contacts.FirstAsync(c => c.Id == conversation.ContactId, ct);
        var message = new Message { Channel = Channel.Chat, BodyText = text, AuthorContactId = contact.Id, CreatedAt = now };
        if (file is not null) message.Attachments.Add(file);
        TicketIntake.AddCustomerMessage(db, ticket, contact, message, now);
        var line = new ChatLine
        {
            ConversationId = conversation.Id,
            ClientId = clientId,
            Message = message,
            SenderType = ActorType.Contact,
            Text = text,
            Attachment = file,
            CreatedAt = now,
        };
        db.ChatLines.Add(line);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (!await db.ChatLines.AsNoTracking().AnyAsync(l => l.ConversationId == conversation.Id && l.ClientId == clientId, ct)) throw;
            return null;
        }
        return ChatText.ToDto(line, null, file);
    }

    public async Task PublishAsync(ChatConversation conversation, ChatLineDto line, string? exceptConnection) =>
        await PublishAsync(conversation.Id, conversation.AgentId, line, exceptConnection);

    private async Task PublishAsync(long conversationId, long? chatAgentId, ChatLineDto line, string? exceptConnection)
    {
        await (exceptConnection is null ? notify.Visitor(conversationId) : notify.VisitorExcept(conversationId, exceptConnection)).Line(line);
        var agent = chatAgentId ?? (assignments.TryGet(conversationId, out var a) ? a : null);
        if (agent is { } owner) await notify.Agent(owner).Line(conversationId, line);
    }

    private long? AgentOf(ChatConversation conversation) =>
        conversation.AgentId ?? (assignments.TryGet(conversation.Id, out var a) ? a : null);

    private async Task<ChatLineDto?> LineAsync(long conversationId, string clientId, CancellationToken ct)
    {
        var line = await db.ChatLines.AsNoTracking().Include(l => l.Attachment)
            .FirstOrDefaultAsync(l => l.ConversationId == conversationId && l.ClientId == clientId, ct);
        if (line is null) return null;
        var agentName = line.AgentId is { } a ? await db.Agents.Where(x => x.Id == a).Select(x => x.Name).FirstOrDefaultAsync(ct) : null;
        return ChatText.ToDto(line, agentName, line.Attachment);
    }

    public Task TypingAsync(long conversationId, string? preview)
    {
        if (!assignments.TryGet(conversationId, out var agent)) return Task.CompletedTask;
        var text = preview ?? "";
        return notify.Agent(agent).VisitorTyping(conversationId, text.Length > 500 ? text[..500] : text);
    }

    public async Task ReadAsync(ChatConversation conversation, long upToId, CancellationToken ct)
    {
        if (upToId <= conversation.LastReadByVisitor) return;
        await db.ChatConversations.Where(c => c.Id == conversation.Id && c.LastReadByVisitor < upToId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastReadByVisitor, upToId), ct);
        conversation.LastReadByVisitor = upToId;
        if (AgentOf(conversation) is { } agent) await notify.Agent(agent).ReadByVisitor(conversation.Id, upToId);
    }

    public async Task TrackAsync(ChatConversation conversation, PageInfo page, CancellationToken ct)
    {
        Track(conversation, page);
        await db.SaveChangesAsync(ct);
        if (AgentOf(conversation) is { } agent) await notify.Agent(agent).VisitorUpdated(ChatText.Summary(conversation));
    }

    public async Task<VisitorState> EndAsync(ChatConversation conversation, CancellationToken ct)
    {
        if (conversation.Status is not (ChatStatus.Ended or ChatStatus.Missed))
        {
            var agent = AgentOf(conversation);
            await ChatLifecycle.EndAsync(db, conversation, new Actor(ActorType.Contact, conversation.ContactId, conversation.VisitorName), time.GetUtcNow(), ct);
            assignments.Set(conversation.Id, null);
            if (agent is { } a) await notify.Agent(a).Ended(conversation.Id, "visitor");
            signal.Poke();
        }
        var state = await StateAsync(conversation, false, ct);
        await notify.Visitor(conversation.Id).State(state);
        return state;
    }

    public async Task RateAsync(ChatConversation conversation, string? ratingText, string? comment, CancellationToken ct)
    {
        var rating = Parse.Enum<SatisfactionRating>(ratingText ?? "", "rating");
        if (rating == SatisfactionRating.None) throw ProblemException.Invalid("rating", "Rate the chat good or bad.");
        var note = Parse.Text(comment, "comment", 2000, required: false);
        var ticket = await db.Tickets.FirstAsync(t => t.Id == conversation.TicketId, ct);
        var now = time.GetUtcNow();
        History.Change(db, ticket, new Actor(ActorType.Contact, conversation.ContactId, conversation.VisitorName), now, "rating", ticket.Rating, rating);
        ticket.Rating = rating;
        ticket.RatingComment = note.Length == 0 ? null : note;
        ticket.RatedAt = now;
        await db.SaveChangesAsync(ct);
    }

    public async Task TranscriptAsync(ChatConversation conversation, string? emailText, CancellationToken ct)
    {
        var email = Parse.Email(emailText);
        var ticket = await db.Tickets.AsNoTracking().FirstAsync(t => t.Id == conversation.TicketId, ct);
        var lines = await db.ChatLines.AsNoTracking().Where(l => l.ConversationId == conversation.Id).OrderBy(l => l.Id)
            .Select(l => new { l.SenderType, l.Text, l.CreatedAt, Agent = db.Agents.Where(a => a.Id == l.AgentId).Select(a => a.Name).FirstOrDefault() })
            .ToListAsync(ct);
        var text = new System.Text.StringBuilder();
        var html = new System.Text.StringBuilder("<table>");
        foreach (var l in lines)
        {
            var who = l.SenderType == ActorType.Agent ? l.Agent ?? "Agent" : conversation.VisitorName;
            var at = l.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"[{at}] {who}: {l.Text}\n");
            // Chat text is untrusted: escaped, never markup.
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{System.Net.WebUtility.HtmlEncode(at)}</td><th>{System.Net.WebUtility.HtmlEncode(who)}</th><td style=\"white-space:pre-wrap\">{System.Net.WebUtility.HtmlEncode(l.Text)}</td></tr>");
        }
        html.Append("</table>");
        var mail = new SystemMail(email, $"Your chat transcript [#{ticket.Id}]", text.ToString(), html.ToString(), ticket.DepartmentId, ticket.Id);
        var queued = false;
        foreach (var mailer in mailers) queued |= await mailer.QueueAsync(db, mail, ct);
        if (!queued) throw ProblemException.Conflict("The transcript cannot be emailed: no mailbox is set up to send mail.");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The offline form: with a chat nobody answered, the message joins its ticket; without one, it
    /// starts a ticket of its own (a chat that never rang). Either way the reply goes by email.
    /// </summary>
    public async Task LeaveMessageAsync(WidgetInfo widget, ChatConversation? conversation, LeaveMessageRequest request, string? userAgent, CancellationToken ct)
    {
        var name = Parse.Text(request.Name, "name", 200);
        var email = Parse.Email(request.Email);
        var text = ChatText.Message(request.Text, options.Value.MaxMessageLength);
        var now = time.GetUtcNow();
        if (conversation is not null)
        {
            conversation.VisitorEmail ??= email;
            if (conversation.Status is ChatStatus.Queued or ChatStatus.Ringing)
            {
                await ChatLifecycle.MissAsync(db, conversation, now, ct);
            }
            await db.SaveChangesAsync(ct);
            await AddVisitorLineAsync(conversation, Guid.NewGuid().ToString("N"), text, null, ct);
            return;
        }
        var (contact, _, _) = await VisitorContactAsync(widget, name, email, null, now, ct);
        var message = new Message { Channel = Channel.Chat, BodyText = text, CreatedAt = now };
        var ticket = TicketIntake.Open(db, contact, "Offline message: " + (text.Length > 80 ? text[..80] + "…" : text), message, widget.DepartmentId, now);
        var offline = new ChatConversation
        {
            WidgetId = widget.Id,
            Ticket = ticket,
            Contact = contact,
            DepartmentId = widget.DepartmentId,
            // Nobody resumes an offline message; the hash of a random token keeps the column unique.
            VisitorTokenHash = IdentitySignature.HashToken(IdentitySignature.NewSecret()),
            Status = ChatStatus.Missed,
            QueuedAt = now,
            EndedAt = now,
            VisitorName = name,
            VisitorEmail = email,
            UserAgent = userAgent is { Length: > 500 } ? userAgent[..500] : userAgent,
            CreatedAt = now,
        };
        Track(offline, request.Page);
        db.ChatConversations.Add(offline);
        db.ChatLines.Add(new ChatLine { Conversation = offline, ClientId = Guid.NewGuid().ToString("N"), Message = message, SenderType = ActorType.Contact, Text = text, CreatedAt = now });
        History.Record(db, ticket, new Actor(ActorType.Contact, null, name), "chat_missed", now);
        await db.SaveChangesAsync(ct);
    }

    public async Task<VisitorState> StateAsync(ChatConversation conversation, bool withLines, CancellationToken ct)
    {
        var agentName = conversation.AgentId is { } a ? await db.Agents.AsNoTracking().Where(x => x.Id == a).Select(x => x.Name).FirstOrDefaultAsync(ct) : null;
        int? position = conversation.Status is ChatStatus.Queued or ChatStatus.Ringing ? await ChatLifecycle.QueuePositionAsync(db, conversation, ct) : null;
        var rated = await db.Tickets.AsNoTracking().Where(t => t.Id == conversation.TicketId).Select(t => t.Rating != SatisfactionRating.None).FirstAsync(ct);
        List<ChatLineDto>? lines = null;
        if (withLines)
        {
            var stored = await db.ChatLines.AsNoTracking().Include(l => l.Attachment).Where(l => l.ConversationId == conversation.Id).OrderBy(l => l.Id).ToListAsync(ct);
            var agentIds = stored.Where(l => l.AgentId != null).Select(l => l.AgentId!.Value).Distinct().ToList();
            var names = await db.Agents.AsNoTracking().Where(x => agentIds.Contains(x.Id)).ToDictionaryAsync(x => x.Id, x => x.Name, ct);
            lines = stored.Select(l => ChatText.ToDto(l, l.AgentId is { } id ? names.GetValueOrDefault(id) : null, l.Attachment)).ToList();
        }
        return new VisitorState(conversation.Id, ChatText.Status(conversation.Status), position, agentName, lines, conversation.LastReadByAgent, rated);
    }
}
