using System.Net;
using System.Text.RegularExpressions;

namespace Switchboard.Email;

/// <summary>
/// Placeholders such as <c>{{customer.name}}</c> in templates and signatures. Values are put in
/// literally in one pass, so text a customer wrote (a name containing "{{…}}") is never read as a
/// template; in HTML the values are encoded.
/// </summary>
internal static partial class Templates
{
    [GeneratedRegex(@"\{\{\s*([a-z]+\.[a-z_]+)\s*\}\}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Placeholder();

    public static string Render(string template, IReadOnlyDictionary<string, string> values, bool html = false) =>
        Placeholder().Replace(template, m =>
            values.TryGetValue(m.Groups[1].Value.ToLowerInvariant(), out var value)
                ? (html ? WebUtility.HtmlEncode(value) : value)
                : m.Value);

    public const string DefaultAcknowledgement = """
        Hello {{customer.name}},

        Thank you for writing to us. We have received your message and opened request {{ticket.number}} for it.
        We will answer as soon as we can; reply to this email to add anything.

        {{mailbox.name}}
        """;
}
