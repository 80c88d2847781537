using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Search;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Email;

/// <summary>
/// Fetches one mailbox. IMAP: resume from the stored UID, start over when UIDVALIDITY changes
/// (de-duplication makes the second pass harmless), flag \Seen only after the ticket entry is
/// committed, then wait in IDLE (renewed below the server's timeout) or poll when the server has
/// no IDLE. POP3: fetch, commit, then delete. Any protocol or network error drops the connection
/// and reconnects with back-off; nothing is flagged or deleted for a message that was not stored.
/// </summary>
public sealed class MailFetcher(IServiceScopeFactory scopes, MailboxSecrets secrets, IOptions<EmailOptions> options, TimeProvider time, ILogger<MailFetcher> logger)
{
    public async Task RunAsync(long mailboxId, CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(2);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var mailbox = await LoadAsync(mailboxId, ct);
                if (mailbox is null || !mailbox.IsActive) return;
                // A connection that got as far as opening the folder starts the back-off over, so
                // occasional drops over weeks never add up to the longest delay.
                if (mailbox.InboundType == MailInboundType.Imap) await RunImapAsync(mailbox, () => delay = TimeSpan.FromSeconds(2), ct);
                else if (mailbox.InboundType == MailInboundType.Pop3)
                {
                    await FetchPop3Async(mailbox, ct);
                    await RecordAsync(mailboxId, null, ct);
                    delay = TimeSpan.FromSeconds(2);
                    await Task.Delay(options.Value.PollInterval, time, ct);
                    continue;
                }
                else return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("Fetching mailbox {Id} failed: {Error}. Reconnecting in {Delay}.", mailboxId, e.Message, delay);
                await RecordAsync(mailboxId, e.Message, CancellationToken.None);
                try
                {
                    await Task.Delay(delay, time, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = TimeSpan.FromSeconds(Math.Min(300, delay.TotalSeconds * 2));
            }
        }
    }

    private async Task<Mailbox?> LoadAsync(long id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SwitchboardDb>().Mailboxes.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
    }

    private async Task RecordAsync(long id, string? error, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var now = time.GetUtcNow();
        var message = error is null ? null : error.Length > 1000 ? error[..1000] : error;
        await db.Mailboxes.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.LastFetchAt, now).SetProperty(m => m.LastError, message), ct);
    }

    private static SecureSocketOptions Security(MailSecurity security) => security switch
    {
        MailSecurity.Ssl => SecureSocketOptions.SslOnConnect,
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.None,
    };

    private async Task RunImapAsync(Mailbox mailbox, Action connected, CancellationToken ct)
    {
        using var client = new ImapClient { Timeout = 60_000, CheckCertificateRevocation = false };
        await client.ConnectAsync(mailbox.InboundHost!, mailbox.InboundPort ?? 993, Security(mailbox.InboundSecurity), ct);
        await client.AuthenticateAsync(mailbox.InboundUsername ?? "", secrets.Unprotect(mailbox.InboundPasswordProtected) ?? "", ct);
        var folder = await client.GetFolderAsync(mailbox.InboundFolder, ct);
        await folder.OpenAsync(FolderAccess.ReadWrite, ct);
        await RecordAsync(mailbox.Id, null, ct);
        connected();
        while (!ct.IsCancellationRequested)
        {
            // Mail that arrives while we fetch is announced (EXISTS) during the fetch's own
            // commands, not in IDLE; without this check it would wait for the next IDLE renewal.
            var count = folder.Count;
            await FetchImapAsync(mailbox.Id, folder, ct);
            if (folder.Count != count) continue;
            if (client.Capabilities.HasFlag(ImapCapabilities.Idle))
            {
                await IdleAsync(client, folder, ct);
            }
            else
            {
                await Task.Delay(options.Value.PollInterval, time, ct);
                await client.NoOpAsync(ct);
            }
        }
        await client.DisconnectAsync(true, CancellationToken.None);
    }

    /// <summary>IDLE until the folder changes or the renewal time is up; servers drop IDLE clients after 30 minutes at most.</summary>
    private async Task IdleAsync(ImapClient client, IMailFolder folder, CancellationToken ct)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        done.CancelAfter(options.Value.IdleRenewal);
        void OnCountChanged(object? sender, EventArgs e) => done.Cancel();
        folder.CountChanged += OnCountChanged;
        try
        {
            await client.IdleAsync(done.Token, ct);
        }
        finally
        {
            folder.CountChanged -= OnCountChanged;
        }
    }

    /// <summary>Fetches every message above the stored UID, one at a time, committing each before flagging it.</summary>
    internal async Task<int> FetchImapAsync(long mailboxId, IMailFolder folder, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var ingestor = scope.ServiceProvider.GetRequiredService<MailIngestor>();
        var mailbox = await db.Mailboxes.FirstAsync(m => m.Id == mailboxId, ct);
        if (mailbox.ImapUidValidity != folder.UidValidity)
        {
            if (mailbox.ImapUidValidity is not null)
            {
                logger.LogWarning("UIDVALIDITY of {Mailbox} changed; reading the folder again (already stored messages are recognised).", mailbox.Address);
            }
            mailbox.ImapUidValidity = folder.UidValidity;
            mailbox.ImapLastUid = 0;
            await db.SaveChangesAsync(ct);
        }
        var last = (uint)(mailbox.ImapLastUid ?? 0);
        var uids = (await folder.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId(last + 1), UniqueId.MaxValue)), ct))
            .Where(u => u.Id > last).OrderBy(u => u.Id).ToList();
        if (uids.Count == 0) return 0;
        var sizes = (await folder.FetchAsync(uids, MessageSummaryItems.UniqueId | MessageSummaryItems.Size, ct))
            .ToDictionary(s => s.UniqueId, s => (long?)s.Size);
        var count = 0;
        var stored = new List<UniqueId>();
        var seen = new List<UniqueId>();
        foreach (var uid in uids)
        {
            ct.ThrowIfCancellationRequested();
            if (sizes.GetValueOrDefault(uid) is { } size && size > options.Value.MaxMessageBytes)
            {
                // Too big to take: left on the server, listed in the quarantine.
                await ingestor.RecordOversizedAsync(mailbox, $"imap:{folder.UidValidity}:{uid.Id}", size, ct);
            }
            else
            {
                await using var raw = await folder.GetStreamAsync(uid, string.Empty, ct);
                await ingestor.IngestAsync(mailbox, raw, "imap", ct);
                seen.Add(uid);
            }
            stored.Add(uid);
            count++;
            if (stored.Count >= CommitEvery) await MarkStoredAsync(db, mailboxId, folder, stored, seen, ct);
        }
        await MarkStoredAsync(db, mailboxId, folder, stored, seen, ct);
        return count;
    }

    /// <summary>
    /// Server flags and the stored UID follow the commits in groups: a crash in between only means the
    /// group is fetched again and recognised as already stored.
    /// </summary>
    private const int CommitEvery = 25;

    private static async Task MarkStoredAsync(SwitchboardDb db, long mailboxId, IMailFolder folder, List<UniqueId> stored, List<UniqueId> seen, CancellationToken ct)
    {
        if (stored.Count == 0) return;
        // Messages too large to take stay unread on the server.
        if (seen.Count > 0) await folder.AddFlagsAsync(seen, MessageFlags.Seen, true, ct);
        seen.Clear();
        db.ChangeTracker.Clear();
        var last = (long)stored[^1].Id;
        await db.Mailboxes.Where(m => m.Id == mailboxId).ExecuteUpdateAsync(s => s.SetProperty(m => m.ImapLastUid, last), ct);
        stored.Clear();
    }

    internal async Task<int> FetchPop3Async(Mailbox mailbox, CancellationToken ct)
    {
        using var client = new Pop3Client { Timeout = 60_000, CheckCertificateRevocation = false };
        await client.ConnectAsync(mailbox.InboundHost!, mailbox.InboundPort ?? 995, Security(mailbox.InboundSecurity), ct);
        await client.AuthenticateAsync(mailbox.InboundUsername ?? "", secrets.Unprotect(mailbox.InboundPasswordProtected) ?? "", ct);
        var count = client.Count;
        if (count == 0)
        {
            await client.DisconnectAsync(true, ct);
            return 0;
        }
        var sizes = await client.GetMessageSizesAsync(ct);
        var uids = client.Capabilities.HasFlag(Pop3Capabilities.UIDL) ? await client.GetMessageUidsAsync(ct) : null;
        var handled = 0;
        for (var i = 0; i < count; i++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var ingestor = scope.ServiceProvider.GetRequiredService<MailIngestor>();
            if (sizes[i] > options.Value.MaxMessageBytes)
            {
                await ingestor.RecordOversizedAsync(mailbox, $"pop3:{uids?[i] ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture)}", sizes[i], ct);
                continue;
            }
            await using (var raw = await client.GetStreamAsync(i, false, ct))
            {
                await ingestor.IngestAsync(mailbox, raw, "pop3", ct);
            }
            await client.DeleteMessageAsync(i, ct);
            handled++;
        }
        // QUIT commits the deletions; a dropped connection leaves every message on the server.
        await client.DisconnectAsync(true, ct);
        return handled;
    }
}
