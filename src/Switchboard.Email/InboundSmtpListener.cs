using System.Buffers;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Mailbox = Switchboard.Core.Model.Mailbox;

namespace Switchboard.Email;

/// <summary>
/// Switchboard's own SMTP receiver (<c>Email:InboundSmtp:Listen</c>). It accepts mail only for
/// configured, active mailboxes (no relaying), refuses messages over the size limit at MAIL FROM
/// (SIZE) and during DATA, and answers 250 only after the ticket entry is committed, so a sender
/// that sees an error keeps the message and retries.
/// </summary>
internal sealed class InboundSmtpListener(
    IServiceScopeFactory scopes, IOptions<EmailOptions> options, ILogger<InboundSmtpListener> logger) : BackgroundService
{
    public static IPEndPoint? ParseEndpoint(string? listen)
    {
        if (string.IsNullOrWhiteSpace(listen)) return null;
        return IPEndPoint.TryParse(listen.Trim(), out var endpoint) && endpoint.Port > 0
            ? endpoint
            : throw new InvalidOperationException($"Email:InboundSmtp:Listen is '{listen}'; use address:port, e.g. 127.0.0.1:2525.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var endpoint = ParseEndpoint(options.Value.InboundSmtp.Listen);
        if (endpoint is null) return;
        var max = (int)Math.Min(int.MaxValue, options.Value.MaxMessageBytes);
        var serverOptions = new SmtpServerOptionsBuilder()
            .ServerName(options.Value.InboundSmtp.ServerName)
            .MaxMessageSize(max, MaxMessageSizeHandling.Strict)
            .Endpoint(b => b.Endpoint(endpoint).SessionTimeout(TimeSpan.FromMinutes(5)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new MailboxFilter(scopes, max));
        services.Add(new Store(scopes, logger));
        var server = new SmtpServer.SmtpServer(serverOptions, services);
        logger.LogInformation("Accepting mail by SMTP on {Endpoint}.", endpoint);
        await server.StartAsync(stoppingToken);
    }

    private static async Task<List<Mailbox>> MailboxesForAsync(IServiceScopeFactory scopes, IEnumerable<string> addresses, CancellationToken ct)
    {
        var wanted = addresses.Select(a => a.ToLowerInvariant()).Distinct().ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        return await db.Mailboxes.AsNoTracking()
            .Where(m => m.IsActive && m.InboundType == MailInboundType.Smtp && wanted.Contains(m.Address))
            .ToListAsync(ct);
    }

    private sealed class MailboxFilter(IServiceScopeFactory scopes, int maxBytes) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) =>
            Task.FromResult(size <= maxBytes);

        public async Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            (await MailboxesForAsync(scopes, [to.AsAddress()], cancellationToken)).Count > 0;
    }

    private sealed class Store(IServiceScopeFactory scopes, ILogger logger) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            try
            {
                var mailboxes = await MailboxesForAsync(scopes, transaction.To.Select(t => t.AsAddress()), cancellationToken);
                var bytes = buffer.ToArray();
                foreach (var mailbox in mailboxes)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var ingestor = scope.ServiceProvider.GetRequiredService<MailIngestor>();
                    using var raw = new MemoryStream(bytes, writable: false);
                    await ingestor.IngestAsync(mailbox, raw, "smtp", cancellationToken);
                }
                return SmtpResponse.Ok;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // 451: the sender keeps the message and tries again later; nothing is lost.
                logger.LogError(e, "Could not store an inbound SMTP message; asked the sender to retry.");
                return new SmtpResponse(SmtpReplyCode.TransactionFailed, "Temporary failure storing the message, try again later");
            }
        }
    }
}
