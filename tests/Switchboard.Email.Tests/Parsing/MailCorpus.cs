using System.Text.Json;

namespace Switchboard.Email.Tests.Parsing;

/// <summary>
/// The shared corpus of real-world messages (../shared/mail-corpus beside the repository): raw
/// messages from Zammad 5.2.2's test suite and Zammad's expected parse result for most of them.
/// </summary>
internal static class MailCorpus
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string MessagesFolder => Path.Combine(Root.Value, "zammad-5.2.2");

    public static string ExpectationsFolder => Path.Combine(Root.Value, "expected-json-5.2.2");

    /// <summary>Every raw message, by name without extension (mail001, mail033-undelivered-mail-returned-to-sender, ...).</summary>
    public static IReadOnlyList<string> MessageNames() =>
        [.. Directory.GetFiles(MessagesFolder, "*.box").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary>The messages that have an expected parse result.</summary>
    public static IReadOnlyList<string> ExpectedNames() =>
        [.. MessageNames().Where(name => File.Exists(ExpectationPath(name)))];

    public static byte[] ReadMessage(string name) => File.ReadAllBytes(Path.Combine(MessagesFolder, name + ".box"));

    public static JsonElement ReadExpectation(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(ExpectationPath(name)));
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Whether Zammad's own expectation lists the attachments. The JSON files write an empty list when
    /// the YAML has no attachments key at all, and Zammad checks only the keys its expectation has.
    /// </summary>
    public static bool ExpectsAttachments(string name)
    {
        var yaml = Path.Combine(MessagesFolder, name + ".yml");
        return File.Exists(yaml) && File.ReadLines(yaml).Any(line => line.StartsWith("attachments:", StringComparison.Ordinal));
    }

    private static string ExpectationPath(string name) => Path.Combine(ExpectationsFolder, name + ".json");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Switchboard.slnx")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new DirectoryNotFoundException(
                $"Could not find the repository root (a folder with Switchboard.slnx) above {AppContext.BaseDirectory}.");
        }

        var corpus = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "mail-corpus"));
        if (!Directory.Exists(Path.Combine(corpus, "zammad-5.2.2")) || !Directory.Exists(Path.Combine(corpus, "expected-json-5.2.2")))
        {
            throw new DirectoryNotFoundException(
                $"The mail corpus is missing: expected {corpus} with zammad-5.2.2/ and expected-json-5.2.2/ " +
                "(the shared folder beside the repository). The email parser tests cannot run without it.");
        }

        return corpus;
    }
}
