using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Switchboard.Core.Model;
using Switchboard.Core.Search;

namespace Switchboard.Bench;

public sealed record DatasetSize(int Tickets, int MessagesPerTicket, int Contacts, int Agents);

/// <summary>A word the search scenarios look for, and in how many search entries it occurs.</summary>
public sealed record ProbeWord(string Language, string Level, string Word, long DocumentFrequency);

/// <summary>Stored in instance_settings once a dataset is complete, so later runs can find it and its words.</summary>
public sealed record DatasetInfo(
    DatasetSize Size, long Messages, long SearchEntries, double GenerationSeconds, DateTimeOffset GeneratedAt,
    List<ProbeWord> Probes, List<long> DepartmentIds)
{
    public const string SettingKey = "bench:dataset";
}

[JsonSerializable(typeof(DatasetInfo))]
internal sealed partial class BenchJson : JsonSerializerContext;

/// <summary>
/// Builds the rows of a help desk with a couple of years of history. Deterministic: the same
/// size gives the same rows. Ids are assigned here, so related rows need no round trip.
/// </summary>
internal sealed class Dataset
{
    public const string AdminEmail = "admin@bench.invalid";
    public const string AdminPassword = "bench-password-1";

    /// <summary>The newest ticket is this old; fixed so that the data does not depend on the day it was made.</summary>
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan History = TimeSpan.FromDays(730);

    private static readonly string[] DepartmentNames =
        ["Sales support", "Technical support", "Enterprise support", "Billing", "Returns", "Partners"];

    // Share of tickets per department (the rest have none); skewed like a real queue.
    private static readonly double[] DepartmentWeights = [0.30, 0.28, 0.10, 0.14, 0.09, 0.04];

    private static readonly string[] TagNames =
    [
        "billing", "refund", "vip", "bug", "feature-request", "shipping", "login", "password-reset", "invoice",
        "damaged", "missing-item", "cancellation", "upgrade", "downgrade", "outage", "mobile", "web", "api",
        "integration", "complaint", "praise", "follow-up", "escalated", "warranty", "return", "exchange",
        "priority-customer", "enterprise", "trial", "security",
    ];

    private readonly DatasetSize _size;
    private readonly (string Word, string Level, string Language)[] _probes;
    private readonly long[] _probeCounts;
    private long _entryId;
    private long _messageId;
    private long _eventId;

    public Dataset(DatasetSize size)
    {
        _size = size;
        _probes =
        [
            (Corpus.English.TailWord(2_000), "rare", "en"),
            (Corpus.English.HeadWord(120), "medium", "en"),
            ("order", "common", "en"),
            (Corpus.Chinese.TailWord(2_000), "rare", "zh"),
            (Corpus.Chinese.HeadWord(80), "medium", "zh"),
            ("订单", "common", "zh"),
        ];
        _probeCounts = new long[_probes.Length];
    }

    public long Messages => _messageId;

    public long SearchEntries => _entryId;

    public List<ProbeWord> Probes() =>
        _probes.Select((p, i) => new ProbeWord(p.Language, p.Level, p.Word, _probeCounts[i])).ToList();

    public static long DepartmentId(int index) => index + 1;

    public static int DepartmentCount => DepartmentNames.Length;

    public ReferenceData Reference()
    {
        var random = new Random(1);
        var data = new ReferenceData();
        var start = Now - History - TimeSpan.FromDays(30);
        for (var i = 0; i < DepartmentNames.Length; i++) data.Departments.Add(new DepartmentRow(DepartmentId(i), DepartmentNames[i], start));

        // The owner signs in with a password; other agents exist to be assigned and never sign in here.
        var owner = new Agent { Email = AdminEmail, Name = "Bench Owner", Role = AgentRole.Owner };
        var hash = new PasswordHasher<Agent>().HashPassword(owner, AdminPassword);
        data.Agents.Add(new AgentRow(1, AdminEmail, owner.Name, hash, "owner", "en", start));
        foreach (var d in data.Departments) data.AgentDepartments.Add((1, d.Id));
        for (var id = 2; id <= _size.Agents; id++)
        {
            var first = Corpus.FirstNames[random.Next(Corpus.FirstNames.Length)];
            var last = Corpus.LastNames[random.Next(Corpus.LastNames.Length)];
            var role = id <= 10 ? "admin" : "agent";
            data.Agents.Add(new AgentRow(id, $"{first}.{last}.{id}@helpdesk.invalid".ToLowerInvariant(), $"{first} {last}", "", role, random.Next(5) == 0 ? "fil" : "en", start));
            var home = PickDepartment(random) ?? 1;
            data.AgentDepartments.Add((id, home));
            if (random.Next(4) == 0)
            {
                var other = DepartmentId(random.Next(DepartmentNames.Length));
                if (other != home) data.AgentDepartments.Add((id, other));
            }
        }
        for (var id = 1; id <= Math.Max(1, _size.Contacts / 100); id++)
        {
            var name = $"{Corpus.LastNames[random.Next(Corpus.LastNames.Length)]} {Corpus.English.TailWord(id)} {id}";
            data.Companies.Add(new CompanyRow(id, name, $"{Corpus.English.TailWord(id)}{id}.example", start));
        }
        for (var i = 0; i < TagNames.Length; i++) data.Tags.Add((i + 1, TagNames[i]));
        return data;
    }

    /// <summary>Contacts <paramref name="from"/> to <paramref name="to"/> (inclusive), each with an email and sometimes a phone.</summary>
    public ContactBatch Contacts(long from, long to)
    {
        var batch = new ContactBatch();
        for (var id = from; id <= to; id++)
        {
            var random = new Random(unchecked((int)(id * 7919)));
            var language = ContactLanguage(id);
            string name, local;
            if (language == Corpus.Chinese)
            {
                name = Corpus.ChineseSurnames[random.Next(Corpus.ChineseSurnames.Length)]
                    + Corpus.ChineseGiven[random.Next(Corpus.ChineseGiven.Length)]
                    + (random.Next(2) == 0 ? Corpus.ChineseGiven[random.Next(Corpus.ChineseGiven.Length)] : "");
                local = "user";
            }
            else
            {
                var first = Corpus.FirstNames[random.Next(Corpus.FirstNames.Length)];
                var last = Corpus.LastNames[random.Next(Corpus.LastNames.Length)];
                name = $"{first} {last}";
                local = $"{first}.{last}".ToLowerInvariant();
            }
            var created = Now - History - TimeSpan.FromDays(30) + (History * ((double)id / _size.Contacts));
            long? company = random.Next(3) == 0 ? 1 + random.Next(Math.Max(1, _size.Contacts / 100)) : null;
            batch.Contacts.Add(new ContactRow(id, name, company, created, created));
            var domain = Corpus.Domains[random.Next(Corpus.Domains.Length)];
            batch.Identities.Add(new IdentityRow(id * 2, id, "email", "", $"{local}.{id}@{domain}"));
            if (random.Next(5) == 0)
            {
                batch.Identities.Add(new IdentityRow((id * 2) + 1, id, "phone", "", $"+63917{id:D7}"));
            }
            batch.Entries.Add(Entry(SearchEntryKind.Contact, null, null, id, SearchText.Tokenize(name)));
        }
        return batch;
    }

    /// <summary>Tickets <paramref name="from"/> to <paramref name="to"/> (inclusive), oldest first, with messages, tags, events and search entries.</summary>
    public TicketBatch Tickets(long from, long to)
    {
        var batch = new TicketBatch();
        var text = new StringBuilder(512);
        for (var id = from; id <= to; id++)
        {
            var random = new Random(unchecked((int)(id * 104729)));
            var age = 1.0 - ((double)id / _size.Tickets); // 0 for the newest ticket
            var created = Now - (History * age) - TimeSpan.FromMinutes(random.Next(0, 240));
            var customer = 1 + (long)(Math.Pow(random.NextDouble(), 1.5) * _size.Contacts) % _size.Contacts;
            var language = ContactLanguage(customer);
            var department = random.Next(20) == 0 ? null : PickDepartment(random);
            var status = PickStatus(random, age);
            long? assignee = status == "new" || random.Next(6) == 0 ? null : 2 + random.Next(_size.Agents - 1);
            var channel = PickChannel(random);
            var priority = random.Next(100) switch { < 20 => "low", < 80 => "normal", < 95 => "high", _ => "urgent" };

            text.Clear();
            language.AppendText(text, random, 3 + random.Next(6));
            var subject = text.ToString().TrimEnd('.', '。', '?', '？');

            // Counts alternate around the mean so the total is exactly tickets × messages-per-ticket.
            var mean = _size.MessagesPerTicket;
            var spread = (int)(Hash(id | 1) % (ulong)mean);
            var count = id % 2 == 1 ? mean + spread : mean - (int)(Hash(id - 1 | 1) % (ulong)mean);
            if (id % 2 == 1 && id == _size.Tickets) count = mean;

            var at = created;
            DateTimeOffset? firstResponse = null;
            DateTimeOffset lastMessage = created;
            for (var m = 0; m < count; m++)
            {
                if (m > 0) at += TimeSpan.FromMinutes(5 + (random.NextDouble() * random.NextDouble() * 2_880));
                if (at > Now) at = Now - TimeSpan.FromSeconds(count - m);
                var inbound = m == 0 || m % 2 == 0;
                var note = !inbound && random.Next(10) == 0;
                long? agent = inbound ? null : assignee ?? 2 + random.Next(_size.Agents - 1);
                text.Clear();
                language.AppendText(text, random, language.Spaced ? 10 + random.Next(30) : 8 + random.Next(25));
                var body = text.ToString();
                var messageId = ++_messageId;
                batch.Messages.Add(new MessageRow(
                    messageId, id, note ? "note" : "reply", note ? "internal" : inbound ? "inbound" : "outbound", channel,
                    inbound ? "contact" : "agent", agent, inbound ? customer : null, body,
                    channel == "email" && inbound ? $"<{id}.{m}.{messageId}@mail.example>" : null, at));
                if (!inbound && !note) firstResponse ??= at;
                lastMessage = at;
                batch.Entries.Add(Entry(SearchEntryKind.Message, id, messageId, null, SearchText.Tokenize(body)));
            }
            var updated = lastMessage + TimeSpan.FromMinutes(random.Next(0, 90));
            if (updated > Now) updated = Now;
            DateTimeOffset? resolved = status is "resolved" or "closed" ? updated : null;
            batch.Tickets.Add(new TicketRow(
                id, subject, status, priority, channel, customer, department, assignee, created, updated,
                firstResponse, resolved, lastMessage, count));
            batch.Entries.Add(Entry(SearchEntryKind.Subject, id, null, null, SearchText.Tokenize(subject)));

            batch.Events.Add(new EventRow(++_eventId, id, "contact", customer, null, "created", null, null, null, created));
            if (resolved is { } r)
            {
                batch.Events.Add(new EventRow(++_eventId, id, "agent", assignee ?? 1, null, "status_changed", "status", "open", status, r));
            }
            var tags = random.Next(4);
            var seen = 0L;
            for (var t = 0; t < tags; t++)
            {
                var tag = 1 + (int)(Math.Pow(random.NextDouble(), 2) * TagNames.Length);
                if ((seen & (1L << tag)) != 0) continue;
                seen |= 1L << tag;
                batch.TicketTags.Add((id, tag));
            }
        }
        return batch;
    }

    private EntryRow Entry(SearchEntryKind kind, long? ticketId, long? messageId, long? contactId, string tokens)
    {
        for (var i = 0; i < _probes.Length; i++)
        {
            if (HasTerm(tokens, _probes[i].Word)) _probeCounts[i]++;
        }
        return new EntryRow(++_entryId, kind.ToString().ToLowerInvariant(), ticketId, messageId, contactId, tokens);
    }

    private static bool HasTerm(string tokens, string term)
    {
        var span = tokens.AsSpan();
        var start = 0;
        while (true)
        {
            var i = span[start..].IndexOf(term, StringComparison.Ordinal);
            if (i < 0) return false;
            i += start;
            var end = i + term.Length;
            if ((i == 0 || span[i - 1] == ' ') && (end == span.Length || span[end] == ' ')) return true;
            start = i + 1;
        }
    }

    private static Language ContactLanguage(long contactId) => (Hash((ulong)contactId) % 10) switch
    {
        < 6 => Corpus.English,
        < 8 => Corpus.Filipino,
        _ => Corpus.Chinese,
    };

    private static long? PickDepartment(Random random)
    {
        var x = random.NextDouble() * DepartmentWeights.Sum();
        for (var i = 0; i < DepartmentWeights.Length; i++)
        {
            x -= DepartmentWeights[i];
            if (x < 0) return DepartmentId(i);
        }
        return DepartmentId(0);
    }

    /// <summary>Recent tickets are mostly still being worked on; old ones are mostly done, with a few stale ones left open.</summary>
    private static string PickStatus(Random random, double age)
    {
        var x = random.Next(100);
        if (age < 0.05)
        {
            return x switch { < 15 => "new", < 50 => "open", < 65 => "pending", < 85 => "answered", < 95 => "resolved", _ => "closed" };
        }
        return x switch { < 8 => "open", < 11 => "pending", < 15 => "answered", < 55 => "resolved", < 98 => "closed", _ => "spam" };
    }

    private static string PickChannel(Random random) => random.Next(100) switch
    {
        < 55 => "email",
        < 75 => "chat",
        < 83 => "phone",
        < 90 => "portal",
        < 95 => "form",
        < 97 => "sms",
        _ => "social",
    };

    private static ulong Hash(ulong x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53UL;
        return x ^ (x >> 33);
    }

    private static ulong Hash(long x) => Hash(unchecked((ulong)x));
}
