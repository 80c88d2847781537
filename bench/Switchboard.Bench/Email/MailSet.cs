using System.Globalization;
using System.Text;
using MimeKit;

namespace Switchboard.Bench.Email;

/// <summary>One message of the set: the token in its subject (for generated new conversations) and what it exercises.</summary>
internal sealed record BenchMail(string? Token, MimeMessage Message, string Kind);

/// <summary>
/// The email dataset, deterministic for a seed: every tenth message is a copy of a real-world
/// message from the corpus folder (charsets, attachments, HTML), the rest are generated
/// conversations in English, Filipino and Chinese — new ones and replies that refer to earlier
/// generated messages by In-Reply-To/References, some with HTML and attachments. Every message gets
/// its own Message-ID, so de-duplication keeps them all.
/// </summary>
internal sealed class MailSet
{
    public const string MailboxAddress = "support@bench.example";
    private const int Customers = 2_000;

    private readonly Random _random;
    private readonly List<MimeMessage> _corpus;
    private readonly List<Conversation> _recent = [];
    private int _serial;

    private sealed record Conversation(Customer Customer, string Subject, string MessageId, List<string> References, string Body);

    private sealed record Customer(string Name, string Address, Language Language);

    private readonly Customer[] _customers;

    public MailSet(string corpusDirectory, int seed)
    {
        _random = new Random(seed);
        _corpus = LoadCorpus(corpusDirectory);
        _customers = Enumerable.Range(0, Customers).Select(MakeCustomer).ToArray();
    }

    public int CorpusMessages => _corpus.Count;

    /// <summary>
    /// <paramref name="count"/> messages; the last one is always a new generated conversation. Tokens
    /// start with <paramref name="prefix"/>; with <paramref name="newThreads"/> the replies refer only to
    /// conversations of this call (the same customers write, but other messages).
    /// </summary>
    public List<BenchMail> Build(int count, string prefix = "sbx", bool newThreads = false)
    {
        if (newThreads) _recent.Clear();
        var mails = new List<BenchMail>(count);
        for (var i = 0; i < count; i++)
        {
            if (i % 10 == 5 && i < count - 1 && _corpus.Count > 0)
            {
                mails.Add(CorpusCopy(i));
            }
            else if (i < count - 1 && _recent.Count > 20 && _random.NextDouble() < 0.3)
            {
                mails.Add(Reply());
            }
            else
            {
                mails.Add(NewConversation(Token(prefix, i)));
            }
        }
        return mails;
    }

    /// <summary>Letters only, so the search tokenizer keeps it as one word.</summary>
    public static string Token(string prefix, int index)
    {
        var sb = new StringBuilder(prefix);
        var letters = new char[5];
        for (var i = letters.Length - 1; i >= 0; i--)
        {
            letters[i] = (char)('a' + index % 26);
            index /= 26;
        }
        return sb.Append(letters).ToString();
    }

    public BenchMail NewConversation(string token)
    {
        var customer = _customers[_random.Next(_customers.Length)];
        var subject = Sentence(customer.Language, _random.Next(4, 9)) + " " + token;
        var body = Paragraphs(customer.Language, _random.Next(20, 200));
        var id = NextMessageId();
        var message = Compose(customer, subject, id, null, [], body);
        Remember(new Conversation(customer, subject, id, [], body));
        return new BenchMail(token, message, "new");
    }

    private BenchMail Reply()
    {
        var parent = _recent[_random.Next(Math.Max(0, _recent.Count - 500), _recent.Count)];
        var references = parent.References.Append(parent.MessageId).TakeLast(10).ToList();
        var quoted = string.Join('\n', parent.Body.Split('\n').Take(5).Select(l => "> " + l));
        var body = Paragraphs(parent.Customer.Language, _random.Next(10, 120))
            + $"\n\nOn {new DateTime(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc):ddd, d MMM yyyy} {MailboxAddress} wrote:\n" + quoted;
        var id = NextMessageId();
        var subject = "Re: " + parent.Subject;
        var message = Compose(parent.Customer, subject, id, parent.MessageId, references, body);
        Remember(new Conversation(parent.Customer, parent.Subject, id, references, body));
        return new BenchMail(null, message, "reply");
    }

    private BenchMail CorpusCopy(int index)
    {
        var original = _corpus[(index / 10) % _corpus.Count];
        using var buffer = new MemoryStream();
        original.WriteTo(buffer);
        buffer.Position = 0;
        var copy = MimeMessage.Load(buffer);
        copy.MessageId = $"corpus.{index}.{_serial++}@bench.example";
        return new BenchMail(null, copy, "corpus");
    }

    private void Remember(Conversation conversation)
    {
        _recent.Add(conversation);
        if (_recent.Count > 2_000) _recent.RemoveRange(0, 1_000);
    }

    private string NextMessageId() => string.Create(CultureInfo.InvariantCulture, $"gen.{_serial++}.{_random.Next():x8}@customer.bench.example");

    private MimeMessage Compose(Customer customer, string subject, string messageId, string? inReplyTo, List<string> references, string body)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(customer.Name, customer.Address));
        message.To.Add(new MailboxAddress("Support", MailboxAddress));
        if (_random.NextDouble() < 0.1)
        {
            var other = _customers[_random.Next(_customers.Length)];
            message.Cc.Add(new MailboxAddress(other.Name, other.Address));
        }
        message.Subject = subject;
        message.MessageId = messageId;
        message.Date = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(_serial);
        if (inReplyTo is not null) message.InReplyTo = inReplyTo;
        foreach (var reference in references) message.References.Add(reference);

        var builder = new BodyBuilder { TextBody = body };
        if (_random.NextDouble() < 0.3)
        {
            builder.HtmlBody = "<html><body>" + string.Concat(body.Split("\n\n").Select(p => "<p>" + System.Net.WebUtility.HtmlEncode(p).Replace("\n", "<br>", StringComparison.Ordinal) + "</p>")) + "</body></html>";
        }
        if (_random.NextDouble() < 0.1)
        {
            var bytes = new byte[_random.Next(2_000, 60_000)];
            _random.NextBytes(bytes);
            var name = _random.NextDouble() < 0.5 ? $"invoice-{_serial}.pdf" : $"screenshot-{_serial}.png";
            builder.Attachments.Add(name, bytes, name.EndsWith(".pdf", StringComparison.Ordinal) ? new ContentType("application", "pdf") : new ContentType("image", "png"));
        }
        message.Body = builder.ToMessageBody();
        return message;
    }

    private Customer MakeCustomer(int index)
    {
        var roll = _random.NextDouble();
        var language = roll < 0.6 ? Corpus.English : roll < 0.8 ? Corpus.Filipino : Corpus.Chinese;
        var first = Corpus.FirstNames[_random.Next(Corpus.FirstNames.Length)];
        var last = Corpus.LastNames[_random.Next(Corpus.LastNames.Length)];
        var name = language == Corpus.Chinese
            ? Corpus.ChineseSurnames[_random.Next(Corpus.ChineseSurnames.Length)] + Corpus.ChineseGiven[_random.Next(Corpus.ChineseGiven.Length)]
            : $"{first} {last}";
        var address = $"{first}.{last}{index}@{Corpus.Domains[_random.Next(Corpus.Domains.Length)]}".ToLowerInvariant();
        return new Customer(name, address, language);
    }

    private string Sentence(Language language, int words)
    {
        var sb = new StringBuilder();
        language.AppendText(sb, _random, words);
        return sb.ToString().TrimEnd('.', '。');
    }

    private string Paragraphs(Language language, int words)
    {
        var sb = new StringBuilder();
        while (words > 0)
        {
            var part = Math.Min(words, _random.Next(15, 60));
            if (sb.Length > 0) sb.Append("\n\n");
            var paragraph = new StringBuilder();
            language.AppendText(paragraph, _random, part);
            sb.Append(paragraph);
            words -= part;
        }
        return sb.ToString();
    }

    private static List<MimeMessage> LoadCorpus(string directory)
    {
        var messages = new List<MimeMessage>();
        foreach (var file in Directory.GetFiles(directory, "*.box").Order(StringComparer.Ordinal))
        {
            try
            {
                messages.Add(MimeMessage.Load(file));
            }
            catch (FormatException)
            {
                // Not a message MimeKit can read at all: left out of the set.
            }
        }
        return messages;
    }
}
