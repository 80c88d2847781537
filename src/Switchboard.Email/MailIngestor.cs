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

/// <summary>
/// Turns one raw inbound message into exactly one ticket entry or one quarantine entry.
/// The raw bytes are stored first; then, in one transaction, the (mailbox, Message-ID) record
/// and the ticket entry are written together. A message delivered again — after a crash, a
/// UIDVALIDITY change or a client's double delivery — meets the unique record and changes nothing.
/// Callers flag, move or delete the message on the server only after this returns.
/// </summary>
public sealed class MailIngestor(
    SwitchboardDb db,
    IAttachmentStore store,
    EmailSecrets secrets,
    OutboxSignal outbox,
    IOptions<EmailOptions> options,
    TimeProvider time,
    ILogger<MailIngestor> logger)
{
    public async Task<IngestResult> IngestAsync(Mailbox mailbox, Stream raw, string source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(raw);
        var now = time.GetUtcNow();
        var limit = options.Value.MaxMessageBytes;

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
        else
        {
            await using var content = store.OpenRead(stored.Sha256);
            parsed = MailParser.Parse(content, new MailParserLimits { MaxMessageBytes = limit }, ct);
        }

        var mail = parsed.Mail;
        // An oversized message has no stored bytes to hash; each delivery of it gets its own quarantine entry.
        var dedupKey = tooLarge ? "big:" + Guid.NewGuid().ToString("N")
            : mail?.MessageId is { Length: > 0 } mid ? "mid:" + Truncate(mid, 990)
            : "sha:" + stored.Sha256;
        var existing = await FindExistingAsync(mailbox.Id, dedupKey, ct);
        if (existing is not null) return existing;

        var inbound = new InboundMail
        {
            MailboxId = mailbox.Id,
            DedupKey = dedupKey,
            RawSha256 = stored.Sha256,
            RawSize = stored.Size,
            Source = source,
            ReceivedAt = now,
            FromAddress = Truncate(mail?.From?.Address, 320),
            Subject = Truncate(mail?.Subject, 500),
        };

        try
        {
            var result = mail is null
                ? await QuarantineAsync(inbound, parsed.QuarantineReason ?? "The message could not be read.", ct)
                : await RouteAsync(mailbox, inbound, mail, now, ct);
            logger.LogInformation("Mail {Key} for {Mailbox}: {Outcome} {Reason}", dedupKey, mailbox.Address, result.Outcome, result.Reason);
            return result;
        }
        catch (DbUpdateException)
        {
            // Another worker may have stored the same message at the same moment; then that is the answer.
            var raced = await FindExistingAsync(mailbox.Id, dedupKey, ct);
            if (raced is null) throw;
            return raced;
        }
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

    private async Task<IngestResult> RouteAsync(Mailbox mailbox, InboundMail inbound, ParsedMail mail, DateTimeOffset now, CancellationToken ct)
    {
        if (mail.Bounce is { } bounce) return await RecordBounceAsync(inbound, bounce, now, ct);
        var ids = await secrets.MessageIdsAsync(db, ct);
        if (mail.MessageId is { } own && ids.TicketOf(own) is not null)
        {
            inbound.Status = InboundMailStatus.Ignored;
            inbound.Reason = "Our own outbound mail came back; ignored to avoid a loop.";
            db.InboundMails.Add(inbound);
            await db.SaveChangesAsync(ct);
            return new IngestResult(IngestOutcome.Ignored, inbound.Id, null, inbound.Reason);
        }
        if (mail.From is null || string.IsNullOrWhiteSpace(mail.From.Address))
        {
            return await QuarantineAsync(inbound, "The message has no sender address.", ct);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        Contact sender;
        try
        {
            sender = await Contacts.FindOrCreateAsync(db, IdentityType.Email, mail.From.Address, null, mail.From.DisplayName, now, ct);
        }
        catch (Core.Errors.ProblemException e)
        {
            await tx.RollbackAsync(ct);
            return await QuarantineAsync(inbound, "The sender address is not valid: " + e.Message, ct);
        }
        await db.SaveChangesAsync(ct);

        var decision = await MailThreader.DecideAsync(db, ids, mail, sender, options.Value.ReopenWindow, now, ct);
        var message = new Message
        {
            Channel = Channel.Email,
            AuthorContactId = sender.Id,
            BodyText = string.IsNullOrWhiteSpace(mail.Text) ? "(no text)" : mail.Text,
            BodyHtml = mail.Html,
            ExternalId = mail.MessageId is null ? null : Truncate(mail.MessageId, 998),
            FromAddress = mail.From.Address.ToLowerInvariant(),
            ToAddresses = Join(mail.To),
            CcAddresses = Join(mail.Cc),
            ThreadingReason = Truncate(decision.Reason, 500),
            CreatedAt = now,
        };
        await AddAttachmentsAsync(message, mail, ct);

        Ticket ticket;
        var created = decision.Ticket is null;
        if (decision.Ticket is { } existing)
        {
            ticket = existing;
            TicketIntake.AddCustomerMessage(db, ticket, sender, message, now);
        }
        else
        {
            var subject = MailThreader.StripTag(mail.Subject);
            // A follow-up of a closed conversation is a new request, not a reply.
            if (decision.FollowUpOf is not null) subject = Outbox.WithoutReplyPrefix(subject);
            ticket = TicketIntake.Open(db, sender, subject, message, mailbox.DepartmentId, now);
            if (decision.FollowUpOf is { } earlier) TicketIntake.LinkFollowUp(db, ticket, earlier, now);
        }

        inbound.Status = InboundMailStatus.Ingested;
        inbound.Reason = decision.Reason;
        db.InboundMails.Add(inbound);
        await db.SaveChangesAsync(ct);
        await AddParticipantsAsync(mailbox, ticket, mail, ct);
        inbound.TicketId = ticket.Id;
        inbound.MessageId = message.Id;
        var acknowledged = created && await Acknowledgements.QueueAsync(db, ids, mailbox, ticket, sender, mail, options.Value, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // The acknowledgement goes out now, not at the outbox's next poll.
        if (acknowledged) outbox.Poke();
        return new IngestResult(created ? IngestOutcome.Created : IngestOutcome.Appended, inbound.Id, ticket.Id, decision.Reason);
    }

    private async Task<IngestResult> RecordBounceAsync(InboundMail inbound, BounceReport bounce, DateTimeOffset now, CancellationToken ct)
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
        db.InboundMails.Add(inbound);
        await db.SaveChangesAsync(ct);
        return new IngestResult(IngestOutcome.Bounce, inbound.Id, inbound.TicketId, inbound.Reason);
    }

    private async Task AddAttachmentsAsync(Message message, ParsedMail mail, CancellationToken ct)
    {
        foreach (var file in mail.Attachments)
        {
            using var content = new MemoryStream(file.Content, writable: false);
            var stored = await store.SaveAsync(content, options.Value.MaxMessageBytes, ct);
            message.Attachments.Add(new Attachment
            {
                FileName = Truncate(string.IsNullOrWhiteSpace(file.FileName) ? "attachment" : file.FileName, 255)!,
                ContentType = Truncate(string.IsNullOrWhiteSpace(file.ContentType) ? "application/octet-stream" : file.ContentType, 255)!,
                ContentId = Truncate(file.ContentId, 255),
                IsInline = file.IsInline,
                Size = stored.Size,
                Sha256 = stored.Sha256,
                CreatedAt = message.CreatedAt,
            });
        }
    }

    /// <summary>Everyone else on the To and Cc lines (not our own mailboxes) is answered along with the customer.</summary>
    private async Task AddParticipantsAsync(Mailbox mailbox, Ticket ticket, ParsedMail mail, CancellationToken ct)
    {
        var ours = await db.Mailboxes.Select(m => m.Address).ToListAsync(ct);
        var senderAddress = mail.From!.Address.ToLowerInvariant();
        var candidates = mail.To.Concat(mail.Cc)
            .Select(a => (Address: a.Address.Trim().ToLowerInvariant(), a.DisplayName))
            .Where(a => a.Address.Contains('@', StringComparison.Ordinal) && a.Address.Length <= 320
                && a.Address != senderAddress && a.Address != mailbox.Address && !ours.Contains(a.Address))
            .DistinctBy(a => a.Address)
            .Take(50)
            .ToList();
        if (candidates.Count == 0) return;
        var addresses = candidates.Select(c => c.Address).ToList();
        var known = await db.TicketParticipants.Where(p => p.TicketId == ticket.Id && addresses.Contains(p.Email)).Select(p => p.Email).ToListAsync(ct);
        foreach (var (address, name) in candidates.Where(c => !known.Contains(c.Address)))
        {
            db.TicketParticipants.Add(new TicketParticipant { TicketId = ticket.Id, Email = address, Name = Truncate(name, 200) });
        }
    }

    private static string? Join(IReadOnlyList<ParsedAddress> addresses) =>
        addresses.Count == 0 ? null : Truncate(string.Join(", ", addresses.Select(a => a.Address)), 4000);

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
