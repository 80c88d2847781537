using System.Net;
using System.Text.RegularExpressions;

namespace Switchboard.Core.Text;

/// <summary>
/// Fills <c>{{customer.name}}</c>-style placeholders in templates, signatures and automatic
/// messages. Values are put in literally, in one pass, so text a customer wrote (a name containing
/// "{{…}}") is never read as a template; unknown placeholders stay as written, so a typo shows
/// instead of vanishing; in HTML the values are encoded.
/// </summary>
public static partial class Placeholders
{
    [GeneratedRegex(@"\{\{\s*([a-z]+\.[a-z_]+)\s*\}\}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Placeholder();

    public static string Render(string template, IReadOnlyDictionary<string, string> values, bool html = false)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        return Placeholder().Replace(template, m =>
            values.TryGetValue(m.Groups[1].Value.ToLowerInvariant(), out var value)
                ? (html ? WebUtility.HtmlEncode(value) : value)
                : m.Value);
    }
}
