using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Email;

/// <summary>
/// Runs one fetch loop per active IMAP or POP3 mailbox, and restarts a loop when its mailbox's
/// settings change (through the API, or on another node: the list is re-read every minute).
/// </summary>
internal sealed class MailFetchWorker(
    IServiceScopeFactory scopes, MailboxChanges changes, MailFetcher fetcher, ILogger<MailFetchWorker> logger) : BackgroundService
{
    private sealed record Running(string Fingerprint, CancellationTokenSource Stop, Task Loop);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new Dictionary<long, Running>();
        using var changed = new SemaphoreSlim(0, 1);
        void OnChanged()
        {
            if (changed.CurrentCount == 0) changed.Release();
        }
        changes.Changed += OnChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await SyncAsync(running, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Could not read the mailbox list; trying again shortly.");
                }
                try
                {
                    await changed.WaitAsync(TimeSpan.FromMinutes(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            changes.Changed -= OnChanged;
            foreach (var r in running.Values) await r.Stop.CancelAsync();
            await Task.WhenAll(running.Values.Select(r => r.Loop.ContinueWith(_ => { }, TaskScheduler.Default)));
            foreach (var r in running.Values) r.Stop.Dispose();
        }
    }

    private async Task SyncAsync(Dictionary<long, Running> running, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var mailboxes = await db.Mailboxes.AsNoTracking()
            .Where(m => m.IsActive && (m.InboundType == MailInboundType.Imap || m.InboundType == MailInboundType.Pop3))
            .ToListAsync(ct);
        var wanted = mailboxes.ToDictionary(m => m.Id, Fingerprint);
        foreach (var (id, r) in running.ToList())
        {
            if (!wanted.TryGetValue(id, out var fp) || fp != r.Fingerprint)
            {
                await r.Stop.CancelAsync();
                running.Remove(id);
            }
        }
        foreach (var mailbox in mailboxes.Where(m => !running.ContainsKey(m.Id)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var loop = Task.Run(() => fetcher.RunAsync(mailbox.Id, stop.Token), CancellationToken.None);
            running[mailbox.Id] = new Running(wanted[mailbox.Id], stop, loop);
        }
    }

    private static string Fingerprint(Mailbox m) =>
        string.Join('|', m.InboundType, m.InboundHost, m.InboundPort, m.InboundSecurity, m.InboundUsername, m.InboundPasswordProtected, m.InboundFolder);
}
