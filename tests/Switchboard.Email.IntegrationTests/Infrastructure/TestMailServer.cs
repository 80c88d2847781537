using System.Globalization;
using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Switchboard.Email.IntegrationTests.Infrastructure;

/// <summary>
/// The IMAP and POP3 server named by SWITCHBOARD_TEST_IMAP (<c>host=…;imapPort=…;pop3Port=…;password=…</c>),
/// which ./test.sh starts: every user name logs in with the one password, so each test takes a fresh
/// user and starts with an empty mailbox.
/// </summary>
public sealed record TestMailServer(string Host, int ImapPort, int Pop3Port, string Password)
{
    public const string Variable = "SWITCHBOARD_TEST_IMAP";

    private static readonly Lazy<TestMailServer> FromEnvironmentLazy = new(Read);

    /// <summary>The server of this run; fails the test with instructions when none is configured.</summary>
    public static TestMailServer Current => FromEnvironmentLazy.Value;

    /// <summary>A user name no other test uses: a new, empty mailbox on the server.</summary>
    public static string NewUser(string prefix = "desk") => prefix + Guid.NewGuid().ToString("N")[..12];

    private static TestMailServer Read()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set, so the email tests have no IMAP server to fetch from. Run ./test.sh, which starts a " +
                $"throwaway Dovecot, or set {Variable} to host=HOST;imapPort=N;pop3Port=N;password=PASSWORD for a server " +
                "where any user name logs in with that password.");
        }
        var parts = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.OrdinalIgnoreCase);
        string Part(string name) => parts.TryGetValue(name, out var v) && v.Length > 0
            ? v
            : throw new InvalidOperationException($"{Variable} has no '{name}=' part: '{value}'.");
        return new TestMailServer(
            Part("host"),
            int.Parse(Part("imapPort"), CultureInfo.InvariantCulture),
            int.Parse(Part("pop3Port"), CultureInfo.InvariantCulture),
            Part("password"));
    }

    public async Task<ImapClient> ConnectAsync(string user)
    {
        var client = new ImapClient { Timeout = 30_000 };
        try
        {
            await client.ConnectAsync(Host, ImapPort, SecureSocketOptions.None);
            await client.AuthenticateAsync(user, Password);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Puts messages into the user's inbox, as if delivered.</summary>
    public Task AppendAsync(string user, params MimeMessage[] messages) => AppendToAsync(user, "INBOX", messages);

    /// <summary>Puts messages into one of the user's folders.</summary>
    public async Task AppendToAsync(string user, string folderName, params MimeMessage[] messages)
    {
        using var client = await ConnectAsync(user);
        var folder = await client.GetFolderAsync(folderName);
        foreach (var message in messages) await folder.AppendAsync(message, MessageFlags.None);
        await client.DisconnectAsync(true);
    }

    /// <summary>Creates a folder, or deletes it and creates it anew, which gives it a new UIDVALIDITY.</summary>
    public async Task RecreateFolderAsync(string user, string folderName)
    {
        using var client = await ConnectAsync(user);
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        if ((await root.GetSubfoldersAsync()).FirstOrDefault(f => f.Name == folderName) is { } existing) await existing.DeleteAsync();
        await root.CreateAsync(folderName, true);
        await client.DisconnectAsync(true);
    }

    /// <summary>Puts arbitrary bytes into the inbox, even ones that are no valid message (IMAP APPEND with a literal).</summary>
    public async Task AppendRawAsync(string user, byte[] raw)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Host, ImapPort);
        await using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
        await ExpectAsync(reader, "* OK");
        await WriteAsync(stream, $"a1 LOGIN {Quote(user)} {Quote(Password)}\r\n");
        await ExpectAsync(reader, "a1 OK");
        await WriteAsync(stream, string.Create(CultureInfo.InvariantCulture, $"a2 APPEND INBOX {{{raw.Length}}}\r\n"));
        await ExpectAsync(reader, "+");
        await stream.WriteAsync(raw);
        await WriteAsync(stream, "\r\n");
        await ExpectAsync(reader, "a2 OK");
        await WriteAsync(stream, "a3 LOGOUT\r\n");
    }

    /// <summary>The flags of every message in the user's inbox, by UID.</summary>
    public async Task<IReadOnlyDictionary<uint, MessageFlags>> FlagsAsync(string user)
    {
        using var client = await ConnectAsync(user);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var summaries = client.Inbox.Count == 0
            ? []
            : await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags);
        await client.DisconnectAsync(true);
        return summaries.ToDictionary(s => s.UniqueId.Id, s => s.Flags ?? MessageFlags.None);
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static Task WriteAsync(NetworkStream stream, string line) => stream.WriteAsync(Encoding.ASCII.GetBytes(line)).AsTask();

    private static async Task ExpectAsync(StreamReader reader, string prefix)
    {
        while (true)
        {
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                ?? throw new InvalidOperationException($"The IMAP server closed the connection; expected '{prefix}'.");
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return;
            if (!line.StartsWith('*')) throw new InvalidOperationException($"Expected '{prefix}' from the IMAP server, got '{line}'.");
        }
    }
}
