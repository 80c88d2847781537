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
        var folder = (IImapFolder)await client.GetFolderAsync(mailbox.InboundFolder, ct);
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

    /// <summary>
    /// Fetches every message above the stored UID in batches (one FETCH and one transaction each, up to
    /// <see cref="BatchMessages"/> messages or <see cref="BatchBytes"/> bytes); after each batch's commit the
    /// batch is flagged \Seen (while the next batch is stored) and the stored UID moves past it. A crash in between only means the batch is
    /// fetched again and recognised as already stored. Whatever is waiting is taken at once: a batch never
    /// waits to fill up.
    /// </summary>
    internal async Task<int> FetchImapAsync(long mailboxId, IImapFolder folder, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var ingestor = scope.ServiceProvider.GetRequiredService<MailIngestor>();
        var mailbox = await db.Mailboxes.AsNoTracking().FirstAsync(m => m.Id == mailboxId, ct);
        if (mailbox.ImapUidValidity != folder.UidValidity)
        {
            if (mailbox.ImapUidValidity is not null)
            {
                logger.LogWarning("UIDVALIDITY of {Mailbox} changed; reading the folder again (already stored messages are recognised).", mailbox.Address);
            }
            var validity = (long)folder.UidValidity;
            await db.Mailboxes.Where(m => m.Id == mailboxId)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ImapUidValidity, validity).SetProperty(m => m.ImapLastUid, 0L), ct);
            mailbox.ImapUidValidity = validity;
            mailbox.ImapLastUid = 0;
        }
        var last = (uint)(mailbox.ImapLastUid ?? 0);
        var uids = (await folder.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId(last + 1), UniqueId.MaxValue)), ct))
            .Where(u => u.Id > last).OrderBy(u => u.Id).ToList();
        if (uids.Count == 0) return 0;
        var sizes = (await folder.FetchAsync(uids, MessageSummaryItems.UniqueId | MessageSummaryItems.Size, ct))
            .ToDictionary(s => s.UniqueId, s => (long?)s.Size);
        var batches = Batches(uids, uid => sizes.GetValueOrDefault(uid)).ToList();
        bool Takes(UniqueId uid) => sizes.GetValueOrDefault(uid) is not { } size || size <= options.Value.MaxMessageBytes;
        // While one batch is stored, the connection sets the flags of the batch before it (committed by
        // then) and fetches the next one, which is then parsed: the connection, the parsing (on the other
        // core) and the database work side by side. The connection runs one command at a time, so each of
        // its steps waits for the one before.
        Task<(List<UniqueId> Uids, PreparedBatch Batch)>? next = PrepareFetchedAsync(ingestor, FetchBodiesAsync(folder, batches[0].Where(Takes).ToList(), sizes, ct), ct);
        // The batch stored last: committed, its flags not yet set, the stored UID not yet past it.
        (List<UniqueId> Fetched, long Last)? committed = null;
        Task? flagging = null;
        var count = 0;
        try
        {
            for (var b = 0; b < batches.Count; b++)
            {
                var batch = batches[b];
                var (fetched, prepared) = await next!;
                next = null;
                foreach (var uid in batch.Where(u => !Takes(u)))
                {
                    // Too big to take: left on the server, listed in the quarantine.
                    await ingestor.RecordOversizedAsync(mailbox, $"imap:{folder.UidValidity}:{uid.Id}", sizes[uid]!.Value, ct);
                }
                // Only now is the server told of the batch before. Messages too large to take stay unread there.
                flagging = committed is { } previous ? FlagAsync(folder, previous.Fetched, ct) : null;
                if (b + 1 < batches.Count)
                {
                    next = PrepareFetchedAsync(ingestor, FetchBodiesAsync(folder, batches[b + 1].Where(Takes).ToList(), sizes, ct, after: flagging), ct);
                }
                if (prepared.Count > 0) await ingestor.IngestBatchAsync(mailbox, prepared, "imap", ct);
                if (committed is { } done) await PassAsync(db, mailboxId, flagging, done.Last, ct);
                committed = (fetched, (long)batch[^1].Id);
                count += batch.Count;
            }
            flagging = FlagAsync(folder, committed!.Value.Fetched, ct);
            await PassAsync(db, mailboxId, flagging, committed.Value.Last, ct);
        }
        catch
        {
            // Nothing of the failed batch is flagged; no command may be left running on the connection.
            if (next is not null) await DiscardAsync(next);
            else if (flagging is not null) await DiscardAsync(flagging);
            throw;
        }
        return count;
    }

    private static Task FlagAsync(IImapFolder folder, List<UniqueId> fetched, CancellationToken ct) =>
        fetched.Count > 0 ? folder.AddFlagsAsync(fetched, MessageFlags.Seen, true, ct) : Task.CompletedTask;

    /// <summary>Once a committed batch's flags are set, the stored UID moves past it.</summary>
    private static async Task PassAsync(SwitchboardDb db, long mailboxId, Task? flagging, long last, CancellationToken ct)
    {
        if (flagging is not null) await flagging;
        await db.Mailboxes.Where(m => m.Id == mailboxId).ExecuteUpdateAsync(s => s.SetProperty(m => m.ImapLastUid, last), ct);
    }

    /// <summary>A fetched batch kept and parsed (no database work), then its streams let go.</summary>
    private static async Task<(List<UniqueId> Uids, PreparedBatch Batch)> PrepareFetchedAsync(
        MailIngestor ingestor, Task<List<(UniqueId Uid, MemoryStream Raw)>> fetching, CancellationToken ct)
    {
        var raws = await fetching;
        try
        {
            return (raws.Select(r => r.Uid).ToList(), await ingestor.PrepareBatchAsync(raws.Select(r => (Stream)r.Raw).ToList(), ct));
        }
        finally
        {
            foreach (var (_, raw) in raws) await raw.DisposeAsync();
        }
    }

    /// <summary>
    /// The raw messages of one batch with one FETCH, in UID order (the server's order is not promised;
    /// threading wants arrival order), once the connection's command before it is done.
    /// </summary>
    private static async Task<List<(UniqueId Uid, MemoryStream Raw)>> FetchBodiesAsync(
        IImapFolder folder, List<UniqueId> uids, Dictionary<UniqueId, long?> sizes, CancellationToken ct, Task? after = null)
    {
        if (after is not null) await after;
        var raws = new List<(UniqueId Uid, MemoryStream Raw)>(uids.Count);
        if (uids.Count == 0) return raws;
        try
        {
            await folder.GetStreamsAsync(uids, async (_, _, uid, stream, token) =>
            {
                var raw = new MemoryStream((int)Math.Min(sizes.GetValueOrDefault(uid) ?? 0, int.MaxValue / 2));
                raws.Add((uid, raw));
                await stream.CopyToAsync(raw, token);
                raw.Position = 0;
            }, ct);
        }
        catch
        {
            foreach (var (_, raw) in raws) await raw.DisposeAsync();
            throw;
        }
        raws.Sort((a, b) => a.Uid.Id.CompareTo(b.Uid.Id));
        return raws;
    }

    private static async Task DiscardAsync(Task running)
    {
        try
        {
            await running;
        }
#pragma warning disable CA1031 // The batch's own failure is what gets reported.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Most messages stored in one transaction: enough that the commit's cost is spread thin, few enough to show the first ones soon.</summary>
    internal const int BatchMessages = 100;

    /// <summary>Most bytes fetched into memory for one batch; a larger message makes a batch of its own.</summary>
    internal const long BatchBytes = 1024 * 1024;

    /// <summary>Consecutive groups of at most <see cref="BatchMessages"/> messages and (but for single large ones) <see cref="BatchBytes"/> bytes.</summary>
    internal static IEnumerable<List<T>> Batches<T>(IReadOnlyList<T> items, Func<T, long?> size)
    {
        var batch = new List<T>();
        long bytes = 0;
        foreach (var item in items)
        {
            var itemBytes = size(item) ?? 0;
            if (batch.Count > 0 && (batch.Count >= BatchMessages || bytes + itemBytes > BatchBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }
            batch.Add(item);
            bytes += itemBytes;
        }
        if (batch.Count > 0) yield return batch;
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
        await using var scope = scopes.CreateAsyncScope();
        var ingestor = scope.ServiceProvider.GetRequiredService<MailIngestor>();
        foreach (var batch in Batches(Enumerable.Range(0, count).ToList(), i => sizes[i]))
        {
            ct.ThrowIfCancellationRequested();
            var raws = new List<(int Index, MemoryStream Raw)>(batch.Count);
            try
            {
                foreach (var i in batch)
                {
                    if (sizes[i] > options.Value.MaxMessageBytes)
                    {
                        await ingestor.RecordOversizedAsync(mailbox, $"pop3:{uids?[i] ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture)}", sizes[i], ct);
                        continue;
                    }
                    var raw = new MemoryStream(sizes[i]);
                    raws.Add((i, raw));
                    await using var stream = await client.GetStreamAsync(i, false, ct);
                    await stream.CopyToAsync(raw, ct);
                    raw.Position = 0;
                }
                if (raws.Count > 0) await ingestor.IngestBatchAsync(mailbox, raws.Select(r => (Stream)r.Raw).ToList(), "pop3", ct);
            }
            finally
            {
                foreach (var (_, raw) in raws) await raw.DisposeAsync();
            }
            // Marked for deletion only once stored; the server deletes at QUIT.
            foreach (var (i, _) in raws) await client.DeleteMessageAsync(i, ct);
            handled += raws.Count;
        }
        // QUIT commits the deletions; a dropped connection leaves every message on the server.
        await client.DisconnectAsync(true, ct);
        return handled;
    }
}
