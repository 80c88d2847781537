using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Tickets;

namespace Switchboard.Email;

/// <summary>
/// Sends the outbox. Each mail is claimed with a conditional update (a lease), so two workers —
/// two nodes — never send the same row; a failure pushes the next attempt back (by default 30 s,
/// 1 min, 2 min … up to an hour) until <see cref="EmailOptions.MaxSendAttempts"/>, then the reply is
/// marked failed for the agent to see. Pending rows survive restarts because they are rows.
/// </summary>
internal sealed class OutboxWorker(
    IServiceScopeFactory scopes, OutboxSignal signal, IOptions<EmailOptions> options, TimeProvider time, ILogger<OutboxWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SendDueAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The outbox pass failed; trying again shortly.");
            }
            try
            {
                await signal.WaitAsync(options.Value.OutboxPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends what is due; returns how many mails it handled.</summary>
    internal async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var sender = scope.ServiceProvider.GetRequiredService<SmtpSender>();
        var now = time.GetUtcNow();
        var due = await db.OutboundMails.AsNoTracking()
            .Where(m => m.Status == OutboundMailStatus.Pending && m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
            .Select(m => new { m.Id, m.NextAttemptAt })
            .Take(20)
            .ToListAsync(ct);
        var handled = 0;
        foreach (var candidate in due)
        {
            var leaseUntil = now + Lease;
            var claimed = await db.OutboundMails
                .Where(m => m.Id == candidate.Id && m.Status == OutboundMailStatus.Pending && m.NextAttemptAt == candidate.NextAttemptAt)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, leaseUntil), ct);
            if (claimed == 0) continue;
            handled++;
            var mail = await db.OutboundMails.FirstAsync(m => m.Id == candidate.Id, ct);
            var mailbox = await db.Mailboxes.AsNoTracking().FirstOrDefaultAsync(m => m.Id == mail.MailboxId, ct);
            try
            {
                if (mailbox?.OutboundHost is null) throw new InvalidOperationException("The mailbox has no outgoing server.");
                await sender.SendAsync(mailbox, mail, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                mail.Attempts++;
                mail.LastError = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
                if (mail.Attempts >= options.Value.MaxSendAttempts)
                {
                    mail.Status = OutboundMailStatus.Failed;
                    await SetDeliveryAsync(db, mail.MessageIdHeader, "failed", $"Not sent after {mail.Attempts} attempts: {mail.LastError}", CancellationToken.None);
                }
                else
                {
                    mail.NextAttemptAt = time.GetUtcNow() + Backoff(mail.Attempts, options.Value.SendRetryDelay);
                }
                logger.LogWarning("Sending mail {Id} failed (attempt {Attempt}): {Error}", mail.Id, mail.Attempts, mail.LastError);
                await db.SaveChangesAsync(CancellationToken.None);
                continue;
            }
            // The server has taken the mail. Record that even while shutting down, and never count a
            // failure to record it as a failure to send: either would send the mail a second time.
            mail.Status = OutboundMailStatus.Sent;
            mail.SentAt = time.GetUtcNow();
            mail.LastError = null;
            await db.SaveChangesAsync(CancellationToken.None);
            await SetDeliveryAsync(db, mail.MessageIdHeader, "sent", null, CancellationToken.None);
        }
        return handled;
    }

    internal static TimeSpan Backoff(int attempts, TimeSpan first) =>
        TimeSpan.FromSeconds(Math.Min(3600, first.TotalSeconds * Math.Pow(2, Math.Max(0, attempts - 1))));

    private static Task<int> SetDeliveryAsync(SwitchboardDb db, string messageId, string status, string? error, CancellationToken ct) =>
        db.Messages.Where(m => m.ExternalId == messageId).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.DeliveryStatus, status)
            .SetProperty(m => m.DeliveryError, error), ct);
}

/// <summary>Builds the MIME message from an outbox row and hands it to the mailbox's SMTP server.</summary>
internal sealed class SmtpSender(IAttachmentStore store, MailboxSecrets secrets, SwitchboardDb db)
{
    public async Task SendAsync(Mailbox mailbox, OutboundMail mail, CancellationToken ct)
    {
        var message = await ComposeAsync(mailbox, mail, ct);
        using var client = new SmtpClient();
        client.Timeout = 60_000;
        // Test and internal relays often present self-signed certificates; revocation lists are rarely reachable.
        client.CheckCertificateRevocation = false;
        var security = mailbox.OutboundSecurity switch
        {
            MailSecurity.Ssl => SecureSocketOptions.SslOnConnect,
            MailSecurity.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.None,
        };
        await client.ConnectAsync(mailbox.OutboundHost!, mailbox.OutboundPort ?? 25, security, ct);
        if (!string.IsNullOrEmpty(mailbox.OutboundUsername))
        {
            await client.AuthenticateAsync(mailbox.OutboundUsername, secrets.Unprotect(mailbox.OutboundPasswordProtected) ?? "", ct);
        }
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }

    internal async Task<MimeMessage> ComposeAsync(Mailbox mailbox, OutboundMail mail, CancellationToken ct)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(mailbox.Name, mailbox.Address));
        message.To.AddRange(InternetAddressList.Parse(mail.ToAddresses));
        if (!string.IsNullOrWhiteSpace(mail.CcAddresses)) message.Cc.AddRange(InternetAddressList.Parse(mail.CcAddresses));
        message.Subject = mail.Subject;
        message.MessageId = mail.MessageIdHeader;
        message.Date = mail.CreatedAt;
        if (mail.InReplyTo is { Length: > 0 } inReplyTo) message.InReplyTo = inReplyTo;
        if (mail.References is { Length: > 0 } references)
        {
            foreach (var id in MimeKit.Utils.MimeUtils.EnumerateReferences(references)) message.References.Add(id);
        }
        if (mail.Kind == OutboundMailKind.AutoReply)
        {
            message.Headers.Add("Auto-Submitted", "auto-replied");
            message.Headers.Add("X-Auto-Response-Suppress", "All");
        }
        else if (mail.Kind == OutboundMailKind.System)
        {
            // Account and transcript mail: no auto-responder should answer it (RFC 3834).
            message.Headers.Add("Auto-Submitted", "auto-generated");
            message.Headers.Add("X-Auto-Response-Suppress", "All");
        }
        if (mail.TicketId is { } ticketId) message.Headers.Add("X-Switchboard-Ticket", ticketId.ToString(CultureInfo.InvariantCulture));

        var body = new BodyBuilder { TextBody = mail.BodyText, HtmlBody = mail.BodyHtml };
        if (!string.IsNullOrEmpty(mail.AttachmentIds))
        {
            var ids = mail.AttachmentIds.Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            var files = await db.Attachments.AsNoTracking().Where(a => ids.Contains(a.Id)).OrderBy(a => a.Id).ToListAsync(ct);
            foreach (var file in files)
            {
                await using var content = store.OpenRead(file.Sha256);
                using var buffer = new MemoryStream();
                await content.CopyToAsync(buffer, ct);
                body.Attachments.Add(file.FileName, buffer.ToArray(), ContentType.TryParse(file.ContentType, out var type) ? type : new ContentType("application", "octet-stream"));
            }
        }
        message.Body = body.ToMessageBody();
        return message;
    }
}
