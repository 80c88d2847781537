using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Data;

namespace Switchboard.Email;

/// <summary>
/// <c>Switchboard.Host ingest-mail --mailbox support@example.com &lt; message.eml</c>: delivery from
/// an MTA's pipe (Postfix <c>pipe</c>, a <c>.forward</c>, procmail). Exit codes follow sysexits so
/// the MTA does the right thing: 0 stored (also a duplicate or a quarantined message — it is kept),
/// 67 no such mailbox (bounce), 75 temporary failure (the MTA keeps the message and retries).
/// </summary>
public static class MailPipe
{
    public const string Command = "ingest-mail";
    public const int Stored = 0;
    public const int UnknownMailbox = 67;
    public const int TemporaryFailure = 75;

    public static bool IsCommand(string[] args) => args is [Command, ..];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, Stream input, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        var address = OptionValue(args, "--mailbox");
        if (address is null)
        {
            await output.WriteLineAsync("usage: ingest-mail --mailbox ADDRESS < message");
            return UnknownMailbox;
        }
        try
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
            var normalized = address.Trim().ToLowerInvariant();
            var mailbox = await db.Mailboxes.AsNoTracking().FirstOrDefaultAsync(m => m.Address == normalized && m.IsActive, ct);
            if (mailbox is null)
            {
                await output.WriteLineAsync($"No active mailbox {normalized}.");
                return UnknownMailbox;
            }
            // The MTA's pipe is not seekable; the ingestor stores the bytes as it reads them.
            var result = await scope.ServiceProvider.GetRequiredService<MailIngestor>().IngestAsync(mailbox, input, "pipe", ct);
            await output.WriteLineAsync($"{result.Outcome}: {result.Reason}");
            return Stored;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await output.WriteLineAsync("Temporary failure: " + e.Message);
            return TemporaryFailure;
        }
    }

    private static string? OptionValue(string[] args, string name)
    {
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == name && i + 1 < args.Length) return args[i + 1];
            if (args[i].StartsWith(name + "=", StringComparison.Ordinal)) return args[i][(name.Length + 1)..];
        }
        return null;
    }
}
