using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Email.Parsing;
using Switchboard.Tickets;

namespace Switchboard.Email;

public enum IngestOutcome { Created, Appended, Duplicate, Quarantined, Bounce, Ignored }

public sealed record IngestResult(IngestOutcome Outcome, long InboundMailId, long? TicketId, string? Reason);

/// <summary>Messages whose raw bytes are kept and parsed, in the order they arrived; nothing of them is in the database yet.</summary>
public sealed class PreparedBatch
{
    internal PreparedBatch(IReadOnlyList<MailIngestor.Prepared> messages) => Messages = messages;

    internal IReadOnlyList<MailIngestor.Prepared> Messages { get; }

    /// <summary>How many messages the batch holds.</summary>
    public int Count => Messages.Count;
}

/// <summary>
/// Turns raw inbound messages into exactly one ticket entry or one quarantine entry each. The raw
/// bytes (and attachments) are stored first; then, in one transaction per batch, the (mailbox,
/// Message-ID) records and the ticket entries are written together. A message delivered again —
/// after a crash, a UIDVALIDITY change, a client's double delivery, or twice in one batch — meets
/// the unique record and changes nothing. Callers flag, move or delete the messages on the server
/// only after this returns.
/// </summary>
public sealed class MailIngestor(
    SwitchboardDb db,
    IAttachmentStore store,
    EmailSecrets secrets,
    OutboxSignal outbox,
    TicketFeed feed,
    IOptions<EmailOptions> options,
    TimeProvider time,
    IEnumerable<Core.Events.ITicketMessageClock> clocks,
    ILogger<MailIngestor> logger)
{
    private const string AlreadyReceived = "Already received; nothing changed.";

    /// <summary>One message (SMTP, the pipe command): stored alone; an unexpected failure is thrown, so the sender tries again.</summary>
    public async Task<IngestResult> IngestAsync(Mailbox mailbox, Stream raw, string source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(raw);
        var prepared = await PrepareAsync(raw, ct);
        try
        {
            var result = (await StoreAsync(mailbox, [prepared], source, ct))[0];
            logger.LogInformation("Mail {Key} for {Mailbox}: {Outcome} {Reason}", prepared.DedupKey, mailbox.Address, result.Outcome, result.Reason);
            return result;
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException)
        {
            // Another worker may have stored the same message at the same moment; then that is the answer.
            var raced = await FindExistingAsync(mailbox.Id, prepared.DedupKey, ct);
            if (raced is null) throw;
            return raced;
        }
    }

    /// <summary>
    /// Messages fetched together (IMAP, POP3), in the order they arrived: one transaction for all of them.
    /// When that fails for any reason but cancellation, they are stored one at a time, and a message that
    /// cannot be stored even then is quarantined with the reason, so one bad message holds up neither its
    /// batch nor the mail after it. Returns one result per message, in order.
    /// </summary>
    public async Task<IReadOnlyList<IngestResult>> IngestBatchAsync(Mailbox mailbox, IReadOnlyList<Stream> raws, string source, CancellationToken ct) =>
        await IngestBatchAsync(mailbox, await PrepareBatchAsync(raws, ct), source, ct);

    /// <summary>
    /// The first half of <see cref="IngestBatchAsync(Mailbox, IReadOnlyList{Stream}, string, CancellationToken)"/>:
    /// keeps the raw bytes and parses, touching no database, so a fetcher can prepare the next batch
    /// while this ingestor stores the previous one. The streams are not needed afterwards.
    /// </summary>
    public async Task<PreparedBatch> PrepareBatchAsync(IReadOnlyList<Stream> raws, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(raws);
        var prepared = new Prepared[raws.Count];
        // Writing the raw files and parsing is most of the work per message; both cores take part.
        await Parallel.ForEachAsync(Enumerable.Range(0, raws.Count), new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (i, token) => prepared[i] = await PrepareAsync(raws[i], token));
        return new PreparedBatch(prepared);
    }

    /// <summary>The second half: stores a prepared batch in one transaction (see the overload taking streams).</summary>
    public async Task<IReadOnlyList<IngestResult>> IngestBatchAsync(Mailbox mailbox, PreparedBatch batch, string source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(batch);
        var prepared = batch.Messages;
        if (prepared.Count == 0) return [];

        IReadOnlyList<IngestResult> results;
        try
        {
            results = await StoreAsync(mailbox, prepared, source, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Storing {Count} mails for {Mailbox} together failed; storing them one at a time.", prepared.Count, mailbox.Address);
            db.ChangeTracker.Clear();
            var single = new List<IngestResult>(prepared.Count);
            foreach (var message in prepared) single.Add(await StoreAloneAsync(mailbox, message, source, ct));
            results = single;
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            for (var i = 0; i < prepared.Count; i++)
            {
                logger.LogDebug("Mail {Key} for {Mailbox}: {Outcome} {Reason}", prepared[i].DedupKey, mailbox.Address, results[i].Outcome, results[i].Reason);
            }
        }
        logger.LogInformation("{Count} mails for {Mailbox} from {Source}: {Outcomes}", results.Count, mailbox.Address, source,
            string.Join(", ", results.GroupBy(r => r.Outcome).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}")));
        return results;
    }

    /// <summary>One message of a failed batch: tried twice (a passing fault), then quarantined with the reason.</summary>
    private async Task<IngestResult> StoreAloneAsync(Mailbox mailbox, Prepared message, string source, CancellationToken ct)
    {
        Exception? failure = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                return (await StoreAsync(mailbox, [message], source, ct))[0];
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                failure = e;
                db.ChangeTracker.Clear();
                if (await FindExistingAsync(mailbox.Id, message.DedupKey, ct) is { } raced) return raced;
            }
        }
        logger.LogError(failure, "Mail {Key} for {Mailbox} could not be stored; it is quarantined.", message.DedupKey, mailbox.Address);
        var inbound = NewInbound(mailbox, message, source, time.GetUtcNow());
        return await QuarantineAsync(inbound,
            $"Switchboard could not store this message ({failure!.GetType().Name}); the raw message is kept. The server log has the details.", ct);
    }

    /// <summary>A message's raw bytes kept, parsed, and its attachments kept; nothing in the database yet.</summary>
    internal sealed record Prepared(StoredFile Raw, MailParseResult Parsed, IReadOnlyList<StoredFile> Attachments, string DedupKey);

    private async Task<Prepared> PrepareAsync(Stream raw, CancellationToken ct)
    {
        var limit = options.Value.MaxMessageBytes;
        var start = raw.CanSeek ? raw.Position : 0;

        // Keep the bytes before anything else can fail: whatever happens next, the message is not lost.
        StoredFile stored;
        var tooLarge = false;
        try
        {
            stored = await store.SaveAsync(raw, limit, ct);
        }
        catch (FileTooLargeException)
        {
            tooLarge = true;
            stored = new StoredFile(new string('0', 64), limit + 1);
        }

        MailParseResult parsed;
        if (tooLarge)
        {
            parsed = MailParseResult.Quarantined($"The message is larger than the limit of {limit / (1024 * 1024.0):0.#} MB.");
        }
        else if (raw.CanSeek)
        {
            raw.Position = start;
            parsed = MailParser.Parse(raw, new MailParserLimits { MaxMessageBytes = limit }, ct);
        }
        else
        {
            await using var content = store.OpenRead(stored.Sha256);
            parsed = MailParser.Parse(content, new MailParserLimits { MaxMessageBytes = limit }, ct);
        }

        var attachments = new List<StoredFile>();
        foreach (var file in parsed.Mail?.Attachments ?? [])
        {
            using var content = new MemoryStream(file.Content, 0, file.Content.Length, writable: false, publiclyVisible: true);
            attachments.Add(await store.SaveAsync(content, limit, ct));
        }

        var mail = parsed.Mail;
        // An oversized message has no stored bytes to hash; each delivery of it gets its own quarantine entry.
        var dedupKey = tooLarge ? "big:" + Guid.NewGuid().ToString("N")
            : mail?.MessageId is { Length: > 0 } mid ? "mid:" + Truncate(mid, 990)
            : "sha:" + stored.Sha256;
        return new Prepared(stored, parsed, attachments, dedupKey);
    }

    private static InboundMail NewInbound(Mailbox mailbox, Prepared message, string source, DateTimeOffset now) => new()
    {
        MailboxId = mailbox.Id,
        DedupKey = message.DedupKey,
        RawSha256 = message.Raw.Sha256,
        RawSize = message.Raw.Size,
        Source = source,
        ReceivedAt = now,
        FromAddress = Truncate(message.Parsed.Mail?.From?.Address, 320),
        Subject = Truncate(message.Parsed.Mail?.Subject, 500),
    };

    /// <summary>One message of a batch on its way into the database.</summary>
    private sealed class Item(int index, Prepared prepared, InboundMail inbound)
    {
        public int Index { get; } = index;
        public Prepared Prepared { get; } = prepared;
        public InboundMail Inbound { get; } = inbound;
        public ParsedMail? Mail => Prepared.Parsed.Mail;
        public string? SenderKey { get; set; }
        public Ticket? Ticket { get; set; }
        public Message? Message { get; set; }
        public Contact? Sender { get; set; }
        public bool Created { get; set; }
        public Func<string>? ReasonOnceSaved { get; set; }
        /// <summary>Its search entries, kept out of the change tracker: written as plain rows after the save.</summary>
        public List<SearchEntry> Search { get; } = [];
    }

    /// <summary>
    /// Stores a batch in one transaction: one query for the messages already received, one for the
    /// senders, one for the messages and tickets the batch refers to; the rows of every message are
    /// written together, replies to mails of the same batch included (a second save only adds what
    /// needs the new tickets' numbers). The messages and their attachments, search entries, history
    /// events and inbound records, most of the rows of each mail, are written as plain rows after the
    /// first save (<see cref="BatchRows"/>), in the same transaction, and so are the new tickets (their
    /// clocks started as a save would start them) and the counters and clocks of the tickets replied to
    /// (one UPDATE each); only a ticket a reply reopens goes through the save.
    /// </summary>
    private async Task<IReadOnlyList<IngestResult>> StoreAsync(Mailbox mailbox, IReadOnlyList<Prepared> batch, string source, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        db.ChangeTracker.Clear();
        var results = new IngestResult?[batch.Count];
        var keys = batch.Select(p => p.DedupKey).Distinct(StringComparer.Ordinal).ToList();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var existing = await db.InboundMails.AsNoTracking()
            .Where(m => m.MailboxId == mailbox.Id && keys.Contains(m.DedupKey))
            .Select(m => new { m.DedupKey, m.Id, m.TicketId })
            .ToDictionaryAsync(m => m.DedupKey, StringComparer.Ordinal, ct);
        var items = new List<Item>(batch.Count);
        var first = new Dictionary<string, Item>(StringComparer.Ordinal);
        var copies = new List<(int Index, Item Of)>();
        for (var i = 0; i < batch.Count; i++)
        {
            var key = batch[i].DedupKey;
            if (existing.TryGetValue(key, out var row))
            {
                results[i] = new IngestResult(IngestOutcome.Duplicate, row.Id, row.TicketId, AlreadyReceived);
            }
            else if (first.TryGetValue(key, out var earlier))
            {
                // The same message twice in one batch: the second copy is a re-delivery of the first.
                copies.Add((i, earlier));
            }
            else
            {
                var item = new Item(i, batch[i], NewInbound(mailbox, batch[i], source, now));
                items.Add(item);
                first[key] = item;
            }
        }
        if (items.Count == 0)
        {
            await tx.CommitAsync(ct);
            return results!;
        }

        var ids = await secrets.MessageIdsAsync(db, ct);
        var senders = new List<(string Value, string? Name)>();
        foreach (var item in items)
        {
            if (item.Mail is not { Bounce: null } mail || IsOwn(ids, mail) || string.IsNullOrWhiteSpace(mail.From?.Address)) continue;
            try
            {
                item.SenderKey = Contacts.NormalizeIdentity(IdentityType.Email, mail.From.Address);
                senders.Add((item.SenderKey, mail.From.DisplayName));
            }
            catch (Core.Errors.ProblemException e)
            {
                Quarantine(item.Inbound, "The sender address is not valid: " + e.Message);
            }
        }
        var contacts = await Contacts.FindOrCreateManyAsync(db, IdentityType.Email, senders, now, ct);
        // New senders get their ids now: messages and history name their author by id.
        if (db.ChangeTracker.HasChanges()) await SaveDetectedAsync(ct);
        var context = await InboundBatch.LoadAsync(db, ids, items.Select(i => i.Mail).OfType<ParsedMail>().ToList(), ct);
        var written = new List<Message>(items.Count);
        // The history events of the routing, in the order they are made; never tracked.
        var events = new List<TicketEvent>(items.Count * 2);
        using (db.CollectEvents(events))
        {
            foreach (var item in items) await RouteOrSetAsideAsync(mailbox, item, contacts, context, ids, written, now, ct);
        }

        // The messages are announced to the save, so the SLA clocks see the customers' replies as they
        // see every save. The new tickets, messages, search entries, history events and inbound records
        // are written below, as plain rows, and the events go to the ticket feed after the commit (with
        // any the save itself records, which come later).
        List<SearchEntry> search;
        List<Ticket> replied;
        List<Ticket> opened;
        using (db.AnnounceMessages(written))
        {
            (search, var later, replied, opened) = await SaveSettingRowsAsideAsync(ct);
            events.AddRange(later);
        }
        await BatchRows.InsertTicketsAsync(db, opened, ct);
        await BatchRows.UpdateRepliedTicketsAsync(db, replied, ct);
        context.Saved(db);
        foreach (var item in items)
        {
            if (item.ReasonOnceSaved is { } reason)
            {
                // Its ticket was opened by an earlier mail of this batch and has its number now.
                item.Inbound.Reason = reason();
                item.Message!.ThreadingReason = Truncate(item.Inbound.Reason, 500);
            }
        }
        await BatchRows.InsertMessagesAsync(db, written, ct);
        var acknowledged = false;
        foreach (var item in items)
        {
            if (item.Created && item.Ticket is { } ticket)
            {
                acknowledged |= await Acknowledgements.QueueAsync(db, ids, context, mailbox, ticket, item.Sender!, item.Mail!, options.Value, now, ct);
            }
            if (item.Ticket is not null) item.Inbound.TicketId = item.Ticket.Id;
            if (item.Message is not null) item.Inbound.MessageId = item.Message.Id;
        }
        await SaveAddedAsync(ct);
        search.AddRange(items.SelectMany(i => i.Search));
        await BatchRows.InsertSearchEntriesAsync(db, search, ct);
        await BatchRows.InsertEventsAsync(db, events, ct);
        await BatchRows.InsertInboundMailsAsync(db, items.ConvertAll(i => i.Inbound), ct);
        await tx.CommitAsync(ct);
        // Agents with the inbox open see the new tickets and messages.
        feed.PublishWritten(events);
        // The acknowledgements go out now, not at the outbox's next poll.
        if (acknowledged) outbox.Poke();

        foreach (var item in items)
        {
            var inbound = item.Inbound;
            var outcome = inbound.Status switch
            {
                InboundMailStatus.Quarantined => IngestOutcome.Quarantined,
                InboundMailStatus.Bounce => IngestOutcome.Bounce,
                InboundMailStatus.Ignored => IngestOutcome.Ignored,
                _ => item.Created ? IngestOutcome.Created : IngestOutcome.Appended,
            };
            results[item.Index] = new IngestResult(outcome, inbound.Id, inbound.TicketId, inbound.Reason);
        }
        foreach (var (index, of) in copies)
        {
            results[index] = new IngestResult(IngestOutcome.Duplicate, of.Inbound.Id, of.Inbound.TicketId, AlreadyReceived);
        }
        return results!;
    }

    /// <summary>
    /// Saves with one change-detection pass over what is tracked (hundreds of rows for a batch): done
    /// here, and SaveChanges is told not to repeat it after its interceptors (the SLA interceptor then
    /// detects the tickets it changes itself).
    /// </summary>
    private async Task SaveDetectedAsync(CancellationToken ct)
    {
        using (DetectionPause.DetectOnce(db.ChangeTracker))
        {
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>
    /// <see cref="SaveDetectedAsync"/>, except that the search entries and history events added since
    /// the last save are taken out of the change tracker before it saves and returned, to be written as
    /// plain rows (<see cref="BatchRows"/>) once their tickets and messages have ids; and so are the
    /// tickets that only a customer's reply changed (<see cref="SetRepliedAside"/>) and the new tickets.
    /// The new tickets' clocks start first, as the save would start them, so that the save's SLA
    /// interceptor then applies their first messages (announced) to running clocks, as it always did.
    /// </summary>
    private async Task<(List<SearchEntry> Search, List<TicketEvent> Events, List<Ticket> Replied, List<Ticket> Opened)> SaveSettingRowsAsideAsync(CancellationToken ct)
    {
        using (DetectionPause.DetectOnce(db.ChangeTracker))
        {
            var search = SetAside<SearchEntry>();
            var events = SetAside<TicketEvent>();
            var replied = SetRepliedAside();
            var opened = SetAside<Ticket>();
            foreach (var clock in clocks) await clock.TicketsOpenedAsync(db, opened, ct);
            await db.SaveChangesAsync(ct);
            return (search, events, replied, opened);
        }
    }

    private static readonly HashSet<string> ReplyFields =
        [nameof(Ticket.MessageCount), nameof(Ticket.LastMessageAt), nameof(Ticket.UpdatedAt)];

    /// <summary>
    /// The stored tickets whose only change is a customer's reply (its counters: not reopened, nothing
    /// else), no longer tracked (detection has run). The save still applies the next-response clock to
    /// them, through the announced messages, which name their ticket; each is then written with one
    /// plain UPDATE (<see cref="BatchRows.UpdateRepliedTicketsAsync"/>). A ticket the reply reopens, or
    /// that changes otherwise, stays with the save, whose interceptors react to the change of status.
    /// </summary>
    private List<Ticket> SetRepliedAside()
    {
        var taken = new List<Ticket>();
        foreach (var entry in db.ChangeTracker.Entries<Ticket>().Where(e => e.State == EntityState.Modified).ToList())
        {
            if (entry.Properties.Any(p => p.IsModified && !ReplyFields.Contains(p.Metadata.Name))) continue;
            taken.Add(entry.Entity);
            entry.State = EntityState.Detached;
        }
        return taken;
    }

    /// <summary>The added entities of a type, no longer tracked (detection has run).</summary>
    private List<T> SetAside<T>() where T : class
    {
        var taken = new List<T>();
        foreach (var entry in db.ChangeTracker.Entries<T>().Where(e => e.State == EntityState.Added).ToList())
        {
            taken.Add(entry.Entity);
            entry.State = EntityState.Detached;
        }
        return taken;
    }

    /// <summary>
    /// Saves what was added (participants, acknowledgements) since the last save, if anything: entities
    /// were not changed behind the tracker's back, so no detection pass.
    /// </summary>
    private async Task SaveAddedAsync(CancellationToken ct)
    {
        using (DetectionPause.Without(db.ChangeTracker))
        {
            if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(ct);
        }
    }

    private static bool IsOwn(MessageIds ids, ParsedMail mail) => mail.MessageId is { } own && ids.TicketOf(own) is not null;

    private static void Quarantine(InboundMail inbound, string reason)
    {
        inbound.Status = InboundMailStatus.Quarantined;
        inbound.Reason = reason;
    }

    /// <summary>A message too large to take is left on the server and listed in the quarantine, once.</summary>
    public async Task<IngestResult> RecordOversizedAsync(Mailbox mailbox, string serverKey, long size, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        var key = "big:" + serverKey;
        if (await FindExistingAsync(mailbox.Id, key, ct) is { } existing) return existing;
        var limit = options.Value.MaxMessageBytes;
        return await QuarantineAsync(new InboundMail
        {
            MailboxId = mailbox.Id,
            DedupKey = key,
            RawSha256 = new string('0', 64),
            RawSize = size,
            Source = serverKey.Split(':')[0],
            ReceivedAt = time.GetUtcNow(),
        }, $"The message ({size / (1024 * 1024.0):0.#} MB) is larger than the limit of {limit / (1024 * 1024.0):0.#} MB; it was left on the mail server.", ct);
    }

    private async Task<IngestResult?> FindExistingAsync(long mailboxId, string dedupKey, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var row = await db.InboundMails.AsNoTracking()
            .Where(m => m.MailboxId == mailboxId && m.DedupKey == dedupKey)
            .Select(m => new { m.Id, m.TicketId })
            .FirstOrDefaultAsync(ct);
        return row is null ? null : new IngestResult(IngestOutcome.Duplicate, row.Id, row.TicketId, "Already received; nothing changed.");
    }

    private async Task<IngestResult> QuarantineAsync(InboundMail inbound, string reason, CancellationToken ct)
    {
        inbound.Status = InboundMailStatus.Quarantined;
        inbound.Reason = reason;
        db.InboundMails.Add(inbound);
        await db.SaveChangesAsync(ct);
        return new IngestResult(IngestOutcome.Quarantined, inbound.Id, null, reason);
    }

    /// <summary>A mail of the batch routed to its ticket, or recorded as a bounce, ignored or quarantined with the reason.</summary>
    private async Task RouteOrSetAsideAsync(
        Mailbox mailbox, Item item, Dictionary<string, Contact> contacts, InboundBatch context, MessageIds ids, List<Message> written,
        DateTimeOffset now, CancellationToken ct)
    {
        var inbound = item.Inbound;
        if (inbound.Status == InboundMailStatus.Quarantined && inbound.Reason is not null) return;
        if (item.Mail is not { } mail)
        {
            Quarantine(inbound, item.Prepared.Parsed.QuarantineReason ?? "The message could not be read.");
        }
        else if (mail.Bounce is { } bounce)
        {
            await RecordBounceAsync(inbound, bounce, now, ct);
        }
        else if (IsOwn(ids, mail))
        {
            inbound.Status = InboundMailStatus.Ignored;
            inbound.Reason = "Our own outbound mail came back; ignored to avoid a loop.";
        }
        else if (item.SenderKey is null)
        {
            Quarantine(inbound, "The message has no sender address.");
        }
        else
        {
            await RouteAsync(mailbox, item, contacts[item.SenderKey], mail, context, ids, written, now, ct);
        }
    }

    /// <summary>Threads one mail of the batch and adds its ticket entry (not saved; the message, not tracked, to <paramref name="written"/>).</summary>
    private async Task RouteAsync(
        Mailbox mailbox, Item item, Contact sender, ParsedMail mail, InboundBatch batch, MessageIds ids, List<Message> written, DateTimeOffset now, CancellationToken ct)
    {
        var decision = await MailThreader.DecideAsync(db, ids, batch, mail, sender, options.Value.ReopenWindow, now, ct);
        var message = new Message
        {
            Channel = Channel.Email,
            AuthorContactId = sender.Id,
            BodyText = string.IsNullOrWhiteSpace(mail.Text) ? "(no text)" : mail.Text,
            BodyHtml = mail.Html,
            ExternalId = mail.MessageId is null ? null : Truncate(mail.MessageId, 998),
            FromAddress = mail.From!.Address.ToLowerInvariant(),
            ToAddresses = Join(mail.To),
            CcAddresses = Join(mail.Cc),
            ThreadingReason = Truncate(decision.Reason, 500),
            CreatedAt = now,
        };
        AddAttachments(message, mail, item.Prepared.Attachments);

        Ticket ticket;
        var created = decision.Ticket is null;
        if (decision.Ticket is { } existing)
        {
            ticket = existing;
            TicketIntake.AddCustomerMessage(db, ticket, sender, message, now, item.Search, written);
        }
        else
        {
            var subject = MailThreader.StripTag(mail.Subject);
            // A follow-up of a closed conversation is a new request, not a reply.
            if (decision.FollowUpOf is not null) subject = Outbox.WithoutReplyPrefix(subject);
            ticket = TicketIntake.Open(db, sender, subject, message, mailbox.DepartmentId, now, item.Search, written);
            if (decision.FollowUpOf is { } earlier) TicketIntake.LinkFollowUp(db, ticket, earlier, now);
        }
        batch.Taken(message, ticket, created);
        await batch.AddParticipantsAsync(db, ticket, Participants(mailbox, mail, batch.OwnAddresses), ct);

        item.Inbound.Status = InboundMailStatus.Ingested;
        item.Inbound.Reason = decision.Reason;
        item.ReasonOnceSaved = decision.ReasonOnceSaved;
        item.Ticket = ticket;
        item.Message = message;
        item.Sender = sender;
        item.Created = created;
    }

    private async Task RecordBounceAsync(InboundMail inbound, BounceReport bounce, DateTimeOffset now, CancellationToken ct)
    {
        inbound.Status = InboundMailStatus.Bounce;
        var original = bounce.OriginalMessageId is { Length: > 0 } id
            ? await db.Messages.Include(m => m.Ticket).FirstOrDefaultAsync(m => m.ExternalId == id, ct)
            : null;
        var who = bounce.FailedRecipients.Count > 0 ? string.Join(", ", bounce.FailedRecipients) : "the recipient";
        if (original is null)
        {
            inbound.Reason = "A delivery failure report for a message Switchboard did not send (or cannot find); no ticket changed.";
        }
        else
        {
            original.DeliveryStatus = "failed";
            original.DeliveryError = Truncate($"Not delivered to {who}. {bounce.Diagnostic}".Trim(), 2000);
            History.Record(db, original.Ticket!, Actor.System, "delivery_failed", now, "message", null, original.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            inbound.TicketId = original.TicketId;
            inbound.MessageId = original.Id;
            inbound.Reason = $"Delivery of message {original.Id} on ticket {MailThreader.Tag(original.TicketId)} failed for {who}.";
        }
    }

    private static void AddAttachments(Message message, ParsedMail mail, IReadOnlyList<StoredFile> stored)
    {
        for (var i = 0; i < mail.Attachments.Count; i++)
        {
            var file = mail.Attachments[i];
            message.Attachments.Add(new Attachment
            {
                FileName = Truncate(string.IsNullOrWhiteSpace(file.FileName) ? "attachment" : file.FileName, 255)!,
                ContentType = Truncate(string.IsNullOrWhiteSpace(file.ContentType) ? "application/octet-stream" : file.ContentType, 255)!,
                ContentId = Truncate(file.ContentId, 255),
                IsInline = file.IsInline,
                Size = stored[i].Size,
                Sha256 = stored[i].Sha256,
                CreatedAt = message.CreatedAt,
            });
        }
    }

    /// <summary>Everyone else on the To and Cc lines (not our own mailboxes) is answered along with the customer.</summary>
    private static List<(string Email, string? Name)> Participants(Mailbox mailbox, ParsedMail mail, IReadOnlySet<string> ours)
    {
        var senderAddress = mail.From!.Address.ToLowerInvariant();
        return mail.To.Concat(mail.Cc)
            .Select(a => (Address: a.Address.Trim().ToLowerInvariant(), a.DisplayName))
            .Where(a => a.Address.Contains('@', StringComparison.Ordinal) && a.Address.Length <= 320
                && a.Address != senderAddress && a.Address != mailbox.Address && !ours.Contains(a.Address))
            .DistinctBy(a => a.Address)
            .Take(50)
            .Select(a => (a.Address, Truncate(a.DisplayName, 200)))
            .ToList();
    }

    private static string? Join(IReadOnlyList<ParsedAddress> addresses) =>
        addresses.Count == 0 ? null : Truncate(string.Join(", ", addresses.Select(a => a.Address)), 4000);

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
