using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchboard.Core.Events;

namespace Switchboard.Email;

/// <summary>The email channel: mailboxes, inbound (IMAP, POP3, SMTP, pipe), threading, the outbox.</summary>
public static class EmailModule
{
    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations()
            .Validate(o => InboundSmtpListenerEndpointIsValid(o.InboundSmtp.Listen), "Email:InboundSmtp:Listen must be address:port, e.g. 127.0.0.1:2525.")
            .ValidateOnStart();
        builder.Services.AddSingleton<EmailSecrets>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<MailboxChanges>();
        builder.Services.AddSingleton<MailboxSecrets>();
        builder.Services.AddScoped<MailboxAdministration>();
        builder.Services.AddSingleton<MailFetcher>();
        builder.Services.AddScoped<MailIngestor>();
        builder.Services.AddScoped<SmtpSender>();
        builder.Services.AddScoped<IAgentMessageHook, EmailReplyHook>();
        builder.Services.AddSingleton<IReplyChannel, EmailReplyChannel>();
        builder.Services.AddSingleton<ISystemMailer, SystemMailer>();
        if (builder.Configuration.GetValue($"{EmailOptions.Section}:RunWorkers", true))
        {
            builder.Services.AddHostedService<OutboxWorker>();
            builder.Services.AddHostedService<MailFetchWorker>();
        }
        builder.Services.AddHostedService<InboundSmtpListener>();
        return builder;
    }

    private static bool InboundSmtpListenerEndpointIsValid(string? listen)
    {
        try
        {
            InboundSmtpListener.ParseEndpoint(listen);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static RouteGroupBuilder MapEmail(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        MailboxesApi.Map(api);
        return api;
    }
}
