using System.Text;

namespace Switchboard.Core.Search;

/// <summary>
/// A search box's text as a set of required terms. A trailing <c>*</c> on a word, or a lone
/// Chinese character, asks for every term that starts with it.
/// </summary>
public sealed class SearchQuery
{
    private SearchQuery(IReadOnlyList<(string Term, bool Prefix)> terms) => Terms = terms;

    public IReadOnlyList<(string Term, bool Prefix)> Terms { get; }

    public bool IsEmpty => Terms.Count == 0;

    public static SearchQuery Parse(string? text)
    {
        var terms = new List<(string, bool)>();
        if (string.IsNullOrWhiteSpace(text)) return new SearchQuery(terms);
        foreach (var part in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var prefix = part.EndsWith('*');
            var words = SearchText.Terms(part.TrimEnd('*')).ToList();
            // "退款" indexes as "退款 款": only the pair is needed to match.
            if (words.Count > 1 && IsSingleCjk(words[^1]) && words[^2].Length == 2 && words[^2].EndsWith(words[^1], StringComparison.Ordinal))
            {
                words.RemoveAt(words.Count - 1);
            }
            for (var i = 0; i < words.Count; i++)
            {
                var last = i == words.Count - 1;
                terms.Add((words[i], (last && prefix) || (words.Count == 1 && IsSingleCjk(words[i]))));
            }
        }
        return new SearchQuery(terms.Distinct().Take(16).ToList());
    }

    private static bool IsSingleCjk(string term) =>
        term.Length <= 2 && Rune.TryGetRuneAt(term, 0, out var r) && r.Utf16SequenceLength == term.Length && SearchText.IsCjk(r);

    /// <summary>An SQLite FTS5 MATCH expression: every term required.</summary>
    public string ToFts5()
    {
        var sb = new StringBuilder();
        foreach (var (term, prefix) in Terms)
        {
            if (sb.Length > 0) sb.Append(" AND ");
            sb.Append('"').Append(term.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            if (prefix) sb.Append('*');
        }
        return sb.ToString();
    }

    /// <summary>A PostgreSQL tsquery literal: quoted lexemes are taken as they are, with no locale-dependent parsing.</summary>
    public string ToTsQuery()
    {
        var sb = new StringBuilder();
        foreach (var (term, prefix) in Terms)
        {
            if (sb.Length > 0) sb.Append(" & ");
            sb.Append('\'').Append(term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)).Append('\'');
            if (prefix) sb.Append(":*");
        }
        return sb.ToString();
    }
}
