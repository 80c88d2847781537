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

      run --provider sqlite|postgres --connection CS [--duration 20] [--requests 200] [--warmup 20] [--warmup-seconds 2]
          [--concurrency 16] [--deep-pages 200] [--host PATH/Switchboard.Host.dll] [--out bench/results]
          [--scenarios floor,open,list,search,throughput]
          Starts the host on 127.0.0.1, measures each scenario through HTTP and the same SQL run
          directly, prints a table and writes it to OUT/latest-PROVIDER.md (only when every
          scenario ran).

      email --provider sqlite|postgres --connection CS --imap "host=127.0.0.1;port=N;password=PW" --corpus DIR
            [--messages 10000] [--warmup-messages 40000] [--latency-rate 20] [--latency-seconds 30] [--timeout 1800] [--data-dir DIR]
            [--host PATH/Switchboard.Host.dll] [--host-log FILE] [--out bench/results]
          Appends the messages to a fresh user's INBOX on that IMAP server, measures the bare
          MailKit + MimeKit + INSERT path, then the host's IMAP ingestion on a fresh database,
          each after an unmeasured warm-up on other messages (a second user and mailbox)
          (SQLite: CS names a file that must not exist yet; PostgreSQL: a database per run is
          created) and the arrival-to-visible latency; writes OUT/latest-email-PROVIDER.md.

      sla --provider sqlite|postgres --connection CS [--tickets 1000000] [--passes 200] [--lag-tickets 2000]
          [--lag-seconds 20] [--events 20000] [--rules 10] [--out bench/results]
          Recreates the database (SQLite: deletes the file CS names; PostgreSQL: drops and creates the
          database CS names) with that many open tickets, then measures the SLA worker's pass, breach
          detection lag, a full recompute after a calendar change and rule evaluations per second;
          writes OUT/latest-sla-PROVIDER.md.

      workspace --provider sqlite|postgres --connection CS [--samples 30] [--chromium PATH] [--host PATH/Switchboard.Host.dll]
          [--out bench/results]
          Starts the host on an existing dataset (see generate) and drives the agent workspace in
          headless Chromium: inbox usable after navigation, ticket open, a new ticket appearing in
          an open inbox; writes OUT/latest-workspace-PROVIDER.md.
      chat --provider sqlite|postgres --connection CS [--conversations 1000] [--rate 1000] [--seconds 20]
           [--warmup-seconds 5] [--idle 20000] [--agents 20] [--host PATH/Switchboard.Host.dll] [--out bench/results]
          Starts the host on a fresh database (SQLite: CS names a file that must not exist yet), opens
          N visitor connections with a live chat each, agents answering; messages both ways at RATE/s;
          visitor→agent and agent→visitor latency p50/p99; then IDLE idle visitor connections and the
          host's memory. The same against a bare SignalR relay, then against that relay storing each
          line (one committed INSERT) before relaying it; writes OUT/latest-chat-PROVIDER.md.
      portal --provider sqlite|postgres --connection CS [--articles 100000] [--duration 20] [--requests 200]
             [--warmup 20] [--host PATH/Switchboard.Host.dll] [--out bench/results]
          Fills a fresh database with knowledge-base articles in English, Filipino and Chinese (once;
          reused afterwards), then measures the portal's search page, suggestions and article page
          through HTTP beside the same SQL run directly; writes OUT/latest-portal-PROVIDER.md.
      nodes --provider postgres --connection CS [--tickets 1000] [--rate 50] [--burst 5000] [--out bench/results]
          Recreates the database CS names and starts two nodes on it in this process (the real node
          bus and ticket feed): latency of a saved ticket from node A's feed to node B's at RATE/s,
          and a burst of messages, each beside bare pg_notify → LISTEN; writes OUT/latest-nodes-postgres.md.
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

if (args[0] == "relay")
{
    var stored = args.Length >= 7 && args[3] == "--store";
    return await Switchboard.Bench.Chat.RelayServer.RunAsync(
        int.Parse(args[2], CultureInfo.InvariantCulture),
        stored ? Enum.Parse<DatabaseProvider>(args[4], ignoreCase: true) : null,
        stored ? args[6] : null);
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
static HashSet<string> Scenarios(string? list)
{
    if (list is null) return [.. RunSettings.AllScenarios];
    var chosen = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
    var unknown = chosen.Where(s => !RunSettings.AllScenarios.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList();
    if (unknown.Count > 0) throw new ArgumentException($"Unknown scenario '{unknown[0]}'; use {string.Join(", ", RunSettings.AllScenarios)}.");
    return chosen;
}
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
                options.GetValueOrDefault("host"), options.GetValueOrDefault("out") ?? Path.Combine("bench", "results"),
                Scenarios(options.GetValueOrDefault("scenarios")))
            {
                WarmupTime = TimeSpan.FromSeconds(Int("warmup-seconds", 2)),
            };
            return await Runner.RunAsync(settings);
        case "email":
            var email = new EmailSettings(
                provider, connection, ImapSettings.Parse(Required("imap")), Required("corpus"), Int("messages", 10_000),
                Int("latency-rate", 20), Int("latency-seconds", 30), TimeSpan.FromSeconds(Int("timeout", 1800)),
                options.GetValueOrDefault("host"), options.GetValueOrDefault("data-dir"), options.GetValueOrDefault("host-log"), options.GetValueOrDefault("out") ?? Path.Combine("bench", "results"),
                Int("warmup-messages", 40_000));
            return await EmailRunner.RunAsync(email);
        case "sla":
            return await Switchboard.Bench.Sla.SlaRunner.RunAsync(new Switchboard.Bench.Sla.SlaSettings(
                provider, connection, Int("tickets", 1_000_000), Int("passes", 200), Int("lag-tickets", 2000), Int("lag-seconds", 20),
                Int("events", 20_000), Int("rules", 10), options.GetValueOrDefault("out") ?? Path.Combine("bench", "results")));
        case "workspace":
            return await Switchboard.Bench.Workspace.WorkspaceRunner.RunAsync(new Switchboard.Bench.Workspace.WorkspaceSettings(
                provider, connection, Int("samples", 30), options.GetValueOrDefault("chromium"), options.GetValueOrDefault("host"),
                options.GetValueOrDefault("out") ?? Path.Combine("bench", "results")));
        case "chat":
            var chat = new Switchboard.Bench.Chat.ChatBenchSettings(
                provider, connection, Int("conversations", 1000), Int("rate", 1000), Int("seconds", 20), Int("idle", 20_000), Int("agents", 20),
                options.GetValueOrDefault("host"), options.GetValueOrDefault("out") ?? Path.Combine("bench", "results"), Int("warmup-seconds", 5));
            return await Switchboard.Bench.Chat.ChatBench.RunAsync(chat);
        case "portal":
            return await Switchboard.Bench.Portal.PortalBench.RunAsync(new Switchboard.Bench.Portal.PortalSettings(
                provider, connection, Int("articles", 100_000), TimeSpan.FromSeconds(Int("duration", 20)), Int("requests", 200), Int("warmup", 20),
                options.GetValueOrDefault("host"), options.GetValueOrDefault("out") ?? Path.Combine("bench", "results")));
        case "nodes":
            if (provider != DatabaseProvider.Postgres) throw new ArgumentException("nodes needs --provider postgres: only PostgreSQL deployments have several nodes.");
            return await Switchboard.Bench.Nodes.NodesBench.RunAsync(new Switchboard.Bench.Nodes.NodesSettings(
                connection, Int("tickets", 1000), Int("rate", 50), Int("burst", 5000), options.GetValueOrDefault("out") ?? Path.Combine("bench", "results")));
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
