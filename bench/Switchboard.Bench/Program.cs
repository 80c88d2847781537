using System.Globalization;
using Switchboard.Bench;
using Switchboard.Bench.Email;
using Switchboard.Core.Data;

const string Usage = """
    Switchboard load benchmark.

      generate --provider sqlite|postgres --connection CS [--tickets 1000000] [--messages-per-ticket 5]
               [--contacts N] [--agents 500] [--batch 10000]
          Migrates an empty database and bulk-loads a help desk into it; does nothing when the
          database already holds a dataset of that size.

      run --provider sqlite|postgres --connection CS [--duration 20] [--requests 200] [--warmup 20]
          [--concurrency 16] [--deep-pages 200] [--host PATH/Switchboard.Host.dll] [--out bench/results]
          Starts the host on 127.0.0.1, measures each scenario through HTTP and the same SQL run
          directly, prints a table and writes it to OUT/latest-PROVIDER.md.

      email --provider sqlite|postgres --connection CS --imap "host=127.0.0.1;port=N;password=PW" --corpus DIR
            [--messages 10000] [--latency-rate 20] [--latency-seconds 30] [--timeout 1800] [--data-dir DIR]
            [--host PATH/Switchboard.Host.dll] [--host-log FILE] [--out bench/results]
          Appends the messages to a fresh user's INBOX on that IMAP server, measures the bare
          MailKit + MimeKit + INSERT path, then the host's IMAP ingestion on a fresh database
          (SQLite: CS names a file that must not exist yet; PostgreSQL: a database per run is
          created) and the arrival-to-visible latency; writes OUT/latest-email-PROVIDER.md.

      portal --provider sqlite|postgres --connection CS [--articles 100000] [--duration 20] [--requests 200]
             [--warmup 20] [--host PATH/Switchboard.Host.dll] [--out bench/results]
          Fills a fresh database with knowledge-base articles in English, Filipino and Chinese (once;
          reused afterwards), then measures the portal's search page, suggestions and article page
          through HTTP beside the same SQL run directly; writes OUT/latest-portal-PROVIDER.md.
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
for (var i = 1; i < args.Length; i++)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"Unexpected argument '{args[i]}'.\n\n{Usage}");
        return 2;
    }
    options[args[i][2..]] = args[++i];
}

string Required(string name) => options.TryGetValue(name, out var value)
    ? value
    : throw new ArgumentException($"--{name} is required.");
int Int(string name, int fallback) => options.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

try
{
    var provider = Required("provider").ToLowerInvariant() switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" => DatabaseProvider.Postgres,
        var other => throw new ArgumentException($"Unknown provider '{other}'; use sqlite or postgres."),
    };
    var connection = Required("connection");
    switch (args[0])
    {
        case "generate":
            var tickets = Int("tickets", 1_000_000);
            var size = new DatasetSize(tickets, Int("messages-per-ticket", 5), Int("contacts", Math.Max(1_000, tickets / 5)), Int("agents", 500));
            return await Generator.RunAsync(provider, connection, size, Int("batch", 10_000));
        case "run":
            var settings = new RunSettings(
                provider, connection,
                TimeSpan.FromSeconds(Int("duration", 20)), Int("requests", 200), Int("warmup", 20), Int("concurrency", 16), Int("deep-pages", 200),
                options.GetValueOrDefault("host"), options.GetValueOrDefault("out") ?? Path.Combine("bench", "results"));
            return await Runner.RunAsync(settings);
        case "email":
            var email = new EmailSettings(
                provider, connection, ImapSettings.Parse(Required("imap")), Required("corpus"), Int("messages", 10_000),
                Int("latency-rate", 20), Int("latency-seconds", 30), TimeSpan.FromSeconds(Int("timeout", 1800)),
                options.GetValueOrDefault("host"), options.GetValueOrDefault("data-dir"), options.GetValueOrDefault("host-log"), options.GetValueOrDefault("out") ?? Path.Combine("bench", "results"));
            return await EmailRunner.RunAsync(email);
        case "portal":
            return await Switchboard.Bench.Portal.PortalBench.RunAsync(new Switchboard.Bench.Portal.PortalSettings(
                provider, connection, Int("articles", 100_000), TimeSpan.FromSeconds(Int("duration", 20)), Int("requests", 200), Int("warmup", 20),
                options.GetValueOrDefault("host"), options.GetValueOrDefault("out") ?? Path.Combine("bench", "results")));
        default:
            Console.Error.WriteLine($"Unknown command '{args[0]}'.\n\n{Usage}");
            return 2;
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"{e.Message}\n\n{Usage}");
    return 2;
}
