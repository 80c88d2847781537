using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Switchboard.Core.Data;

namespace Switchboard.Email.IntegrationTests.Infrastructure;

/// <summary>
/// One installation with a running host and an SMTP sink as the mailboxes' outgoing server, shared by
/// the tests of a class. Each test makes its own department, mailbox and addresses and looks only at those.
/// </summary>
public abstract class MailDeskFixture(
    DatabaseProvider provider, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) : IAsyncLifetime
{
    private EmailInstance? _instance;
    private EmailHost? _host;

    public EmailHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public SmtpSink Sink { get; } = new();

    public async Task InitializeAsync()
    {
        await Sink.StartAsync();
        _instance = await EmailInstance.CreateAsync(provider);
        _host = await _instance.StartHostAsync(settings, services);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        if (_instance is not null) await _instance.DisposeAsync();
        await Sink.DisposeAsync();
    }
}

public sealed class SqliteMailDesk() : MailDeskFixture(DatabaseProvider.Sqlite);

/// <summary>A desk where a closed ticket counts as long closed after two seconds.</summary>
public sealed class SqliteMailDeskWithShortReopenWindow() : MailDeskFixture(
    DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Email:ReopenWindow"] = ReopenWindow.ToString() })
{
    public static readonly TimeSpan ReopenWindow = TimeSpan.FromSeconds(2);
}

/// <summary>Base of the tests that share a <see cref="MailDeskFixture"/>.</summary>
public abstract class MailDeskTests(MailDeskFixture fixture)
{
    protected EmailHost Host => fixture.Host;

    protected HelpDesk Desk => fixture.Host.Desk;

    protected SmtpSink Sink => fixture.Sink;

    /// <summary>
    /// Delivers a message to the host's own SMTP listener for its To addresses, as the sender's mail
    /// server would (copies to other people go to their own servers); returns once accepted.
    /// </summary>
    protected async Task DeliverAsync(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var client = new SmtpClient { Timeout = 30_000 };
        await client.ConnectAsync("127.0.0.1", Host.InboundSmtpPort, SecureSocketOptions.None);
        await client.SendAsync(message, message.From.Mailboxes.First(), message.To.Mailboxes);
        await client.DisconnectAsync(true);
    }
}
