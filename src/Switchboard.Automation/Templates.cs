using System.Text;

namespace Switchboard.Automation;

/// <summary>
/// Fills {{placeholders}} in one pass over the template: values are inserted as they are and never
/// read again, so a customer whose name is "{{ticket.subject}}" gets exactly that name back.
/// Unknown placeholders are left as written, so a typo shows instead of vanishing.
/// </summary>
internal static class Templates
{
    public static readonly string[] Placeholders = ["{{customer.name}}", "{{ticket.number}}", "{{ticket.subject}}"];

    public static string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var result = new StringBuilder(template.Length + 64);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0) break;
            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0) break;
            result.Append(template, i, open - i);
            var key = template.AsSpan(open + 2, close - open - 2).Trim().ToString();
            if (values.TryGetValue(key, out var value)) result.Append(value);
            else result.Append(template, open, close + 2 - open);
            i = close + 2;
        }
        result.Append(template, i, template.Length - i);
        return result.ToString();
    }
}
