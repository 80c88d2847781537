using System.Globalization;
using System.Text;

namespace Switchboard.Core.Search;

/// <summary>
/// Turns text in any script into the space-separated terms that both databases index.
/// Words of alphabetic scripts become lower-case terms without diacritics. Chinese, Japanese
/// and Korean have no spaces, so a run of such characters becomes overlapping pairs
/// ("申请退款" → "申请 请退 退款") plus its last character alone: any substring of two or
/// more characters is then a set of whole terms, and a single character is a term prefix.
/// </summary>
public static class SearchText
{
    /// <summary>Terms longer than this are cut; they are never typed in a search box.</summary>
    public const int MaxTermLength = 40;

    public static string Tokenize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + (text.Length / 2));
        foreach (var term in Terms(text))
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(term);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The terms of a text once each, in the order they first appear: what an index that keeps
    /// neither positions nor counts needs (the ticket search's; every term of a query is required,
    /// in any order). Repeats would only make its rows longer and slower to write.
    /// </summary>
    public static string IndexTokens(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sb = new StringBuilder(text.Length);
        foreach (var term in Terms(text))
        {
            if (!seen.Add(term)) continue;
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(term);
        }
        return sb.ToString();
    }

    /// <summary>The terms of a text, in order, with repeats.</summary>
    public static IEnumerable<string> Terms(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = Fold(text);
        var word = new StringBuilder();
        var cjk = new List<string>();
        var i = 0;
        while (i < normalized.Length)
        {
            var rune = Rune.GetRuneAt(normalized, i);
            i += rune.Utf16SequenceLength;
            if (IsCjk(rune))
            {
                if (word.Length > 0) { yield return Cut(word.ToString()); word.Clear(); }
                cjk.Add(rune.ToString());
                continue;
            }
            foreach (var t in FlushCjk(cjk)) yield return t;
            if (Rune.IsLetterOrDigit(rune))
            {
                word.Append(rune.ToString());
            }
            else if (word.Length > 0)
            {
                yield return Cut(word.ToString());
                word.Clear();
            }
        }
        if (word.Length > 0) yield return Cut(word.ToString());
        foreach (var t in FlushCjk(cjk)) yield return t;
    }

    private static List<string> FlushCjk(List<string> run)
    {
        if (run.Count == 0) return [];
        var terms = new List<string>(run.Count);
        for (var k = 0; k + 1 < run.Count; k++) terms.Add(run[k] + run[k + 1]);
        terms.Add(run[^1]);
        run.Clear();
        return terms;
    }

    private static string Cut(string term) => term.Length <= MaxTermLength ? term : term[..MaxTermLength];

    /// <summary>Lower case, compatibility forms folded (full-width letters), diacritics removed.</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                sb.Append(c);
            }
        }
        return sb.ToString().Normalize(NormalizationForm.FormC).ToLowerInvariant();
    }

    public static bool IsCjk(Rune rune)
    {
        var v = rune.Value;
        return v is >= 0x4E00 and <= 0x9FFF       // CJK unified ideographs
            or >= 0x3400 and <= 0x4DBF            // extension A
            or >= 0x20000 and <= 0x2FA1F          // extensions B–F, compatibility supplement
            or >= 0xF900 and <= 0xFAFF            // compatibility ideographs
            or >= 0x3040 and <= 0x30FF            // hiragana, katakana
            or >= 0xAC00 and <= 0xD7AF;           // hangul syllables
    }
}
