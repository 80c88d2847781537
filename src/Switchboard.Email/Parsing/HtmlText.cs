using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Switchboard.Email.Parsing;

/// <summary>The text a reader sees in an HTML body: block structure as line breaks, markup and hidden parts dropped.</summary>
internal static class HtmlText
{
    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "head", "title", "template", "noscript", "iframe", "object", "embed", "svg", "math",
    };

    private static readonly HashSet<string> Paragraphs = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "dl", "pre", "hr",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "body", "caption", "center", "dd", "details", "div", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "header", "html", "li", "main", "nav", "section", "summary",
        "tbody", "thead", "tfoot", "tr",
    };

    public static string FromHtml(string html)
    {
        if (HtmlGuard.IsTooDeep(html))
        {
            return HtmlGuard.ToText(html);
        }

        var parser = new HtmlParser();
        var document = parser.ParseDocument(html);
        return FromNode(document.Body ?? (INode)document);
    }

    public static string FromNode(INode root)
    {
        var writer = new Writer();
        Walk(root, writer, preformatted: false);
        return writer.ToString();
    }

    private static void Walk(INode node, Writer writer, bool preformatted)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    writer.Text(text.Data, preformatted);
                    break;
                case IElement element:
                    WalkElement(element, writer, preformatted);
                    break;
                default:
                    break;
            }
        }
    }

    private static void WalkElement(IElement element, Writer writer, bool preformatted)
    {
        var name = element.LocalName;
        if (Hidden.Contains(name))
        {
            return;
        }

        if (name is "br")
        {
            writer.LineBreak();
            return;
        }

        var paragraph = Paragraphs.Contains(name);
        var block = paragraph || Blocks.Contains(name);
        if (paragraph)
        {
            writer.Paragraph();
        }
        else if (block)
        {
            writer.EndLine();
        }
        else if (name is "td" or "th")
        {
            writer.Separator();
        }

        Walk(element, writer, preformatted || name is "pre" or "textarea");

        if (paragraph)
        {
            writer.Paragraph();
        }
        else if (block)
        {
            writer.EndLine();
        }
    }

    /// <summary>Collapses whitespace as a browser does and keeps at most one blank line between blocks.</summary>
    private sealed class Writer
    {
        private readonly StringBuilder _output = new();
        private int _pendingBreaks;
        private bool _pendingSpace;

        public void Text(string data, bool preformatted)
        {
            if (preformatted)
            {
                Flush();
                _output.Append(data.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\u00A0', ' '));
                return;
            }

            foreach (var c in data)
            {
                if (c is ' ' or '\t' or '\n' or '\r' or '\f')
                {
                    _pendingSpace = true;
                    continue;
                }

                Flush();
                _output.Append(c == '\u00A0' ? ' ' : c);
            }
        }

        public void LineBreak()
        {
            _pendingSpace = false;
            _pendingBreaks++;
        }

        public void EndLine()
        {
            _pendingSpace = false;
            if (_output.Length > 0 && _pendingBreaks == 0 && _output[^1] != '\n')
            {
                _pendingBreaks = 1;
            }
        }

        public void Paragraph()
        {
            _pendingSpace = false;
            if (_output.Length > 0)
            {
                _pendingBreaks = Math.Max(_pendingBreaks, 2);
            }
        }

        public void Separator()
        {
            if (_output.Length > 0 && _pendingBreaks == 0)
            {
                _pendingSpace = true;
            }
        }

        private void Flush()
        {
            if (_pendingBreaks > 0)
            {
                if (_output.Length > 0)
                {
                    _output.Append('\n', Math.Min(_pendingBreaks, 2));
                }

                _pendingBreaks = 0;
                _pendingSpace = false;
            }
            else if (_pendingSpace)
            {
                if (_output.Length > 0 && _output[^1] is not (' ' or '\n'))
                {
                    _output.Append(' ');
                }

                _pendingSpace = false;
            }
        }

        public override string ToString()
        {
            var lines = _output.ToString().Split('\n').Select(line => line.TrimEnd());
            return string.Join('\n', lines).Trim('\n', ' ');
        }
    }
}
