using System.Text;
using MimeKit.Text;

namespace Switchboard.Email.Parsing;

/// <summary>
/// Keeps hostile HTML away from the DOM parser. Building a tree of deeply nested elements costs the
/// parser time that grows with the square of the depth (a few hundred kilobytes of &lt;div&gt; take
/// minutes), so nesting is measured first with MimeKit's streaming tokenizer, which is linear, and HTML
/// that nests too deep is only read for its text.
/// </summary>
internal static class HtmlGuard
{
    /// <summary>Deeper than any real mail; the DOM parser flattens beyond about 512 levels anyway.</summary>
    public const int MaxNesting = 400;

    private static readonly HashSet<string> NotNesting = new(StringComparer.OrdinalIgnoreCase)
    {
        // Void elements, and elements whose end tag may be left out, do not count as nesting.
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup",
        "rb", "rt", "rp", "html", "head", "body", "o:p",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr",
    };

    public static bool IsTooDeep(string html)
    {
        var tokenizer = new HtmlTokenizer(new StringReader(html)) { DecodeCharacterReferences = false };
        var depth = 0;
        while (tokenizer.ReadNextToken(out var token))
        {
            if (token is not HtmlTagToken tag || tag.IsEmptyElement || NotNesting.Contains(tag.Name))
            {
                continue;
            }

            depth = tag.IsEndTag ? Math.Max(0, depth - 1) : depth + 1;
            if (depth > MaxNesting)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The text of HTML read token by token, with line breaks for block elements.</summary>
    public static string ToText(string html)
    {
        var tokenizer = new HtmlTokenizer(new StringReader(html));
        var output = new StringBuilder();
        var hidden = 0;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Name.Equals("script", StringComparison.OrdinalIgnoreCase) || tag.Name.Equals("style", StringComparison.OrdinalIgnoreCase):
                    hidden = tag.IsEndTag ? Math.Max(0, hidden - 1) : tag.IsEmptyElement ? hidden : hidden + 1;
                    break;
                case HtmlTagToken tag when Blocks.Contains(tag.Name):
                    output.Append('\n');
                    break;
                case HtmlDataToken data when hidden == 0 && token.Kind == HtmlTokenKind.Data:
                    output.Append(data.Data);
                    break;
                default:
                    break;
            }
        }

        var lines = output.ToString().Split('\n').Select(line => string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        return string.Join('\n', lines.Where(line => line.Length > 0));
    }
}
