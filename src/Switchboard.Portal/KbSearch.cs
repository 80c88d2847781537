using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Core.Search;

namespace Switchboard.Portal;

/// <summary>One matching article version, best first.</summary>
public sealed record KbHit(long TranslationId, long ArticleId, string Language, string Title, string Description, string Slug, double Rank);

/// <summary>
/// Article search over the same application-made terms as ticket search (SearchText: folded words,
/// Chinese as character pairs). SQLite ranks with FTS5's bm25, a title term weighing ten body terms;
/// PostgreSQL's index holds terms without positions, so there a match in the title ranks first and
/// then the more viewed article; on both, ties go to the more viewed article.
/// </summary>
internal static class KbSearch
{
    /// <summary>Terms for the index: title and body (Markdown as plain text) of one version.</summary>
    public static void Index(KbTranslation t)
    {
        t.TitleTokens = WithCharacters(SearchText.Tokenize(t.Title));
        t.BodyTokens = WithCharacters(SearchText.Tokenize(t.Description + "\n" + Markdown.ToText(t.BodyMarkdown)));
    }

    /// <summary>
    /// The terms plus each Chinese character that is not yet a term of its own, once. A search for one
    /// character is then a single whole term, where it would otherwise be a prefix standing for every
    /// pair that starts with it: hundreds of terms whose lists both databases merge for every query.
    /// </summary>
    internal static string WithCharacters(string tokens)
    {
        if (tokens.Length == 0) return tokens;
        var terms = tokens.Split(' ');
        HashSet<string>? seen = null;
        var sb = new System.Text.StringBuilder(tokens);
        foreach (var term in terms)
        {
            if (IsCharacter(term)) (seen ??= new(StringComparer.Ordinal)).Add(term);
        }
        foreach (var term in terms)
        {
            var i = 0;
            while (i < term.Length)
            {
                var rune = System.Text.Rune.GetRuneAt(term, i);
                var character = term.Substring(i, rune.Utf16SequenceLength);
                i += rune.Utf16SequenceLength;
                if (!SearchText.IsCjk(rune) || character.Length == term.Length) continue;
                if ((seen ??= new(StringComparer.Ordinal)).Add(character)) sb.Append(' ').Append(character);
            }
        }
        return sb.ToString();
    }

    /// <summary>One Chinese (or other CJK) character: indexed as a term of its own, so searched as a whole term, never as a prefix.</summary>
    internal static bool IsCharacter(string term) =>
        term.Length is > 0 and <= 2 && System.Text.Rune.TryGetRuneAt(term, 0, out var r) && r.Utf16SequenceLength == term.Length && SearchText.IsCjk(r);

    /// <summary>The query as a PostgreSQL tsquery: every term required; a lone character is a whole term (see <see cref="WithCharacters"/>).</summary>
    public static string ToTsQuery(SearchQuery query)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var (term, prefix) in query.Terms)
        {
            if (sb.Length > 0) sb.Append(" & ");
            sb.Append('\'').Append(term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)).Append('\'');
            if (prefix && !IsCharacter(term)) sb.Append(":*");
        }
        return sb.ToString();
    }

    /// <summary>
    /// Published articles of <paramref name="audience"/> matching every term; one version per article,
    /// the reader's language when it matches, else the best-ranked one.
    /// </summary>
    public static async Task<List<KbHit>> SearchAsync(
        SwitchboardDb db, SearchQuery query, KbAudience audience, string language, int limit, bool titlesOnly, CancellationToken ct)
    {
        if (query.IsEmpty) return [];
        var audienceValue = audience.ToString().ToLowerInvariant();
        // Versions, not articles, match; a few more are read so that dropping other languages of the same article still fills the page.
        var take = limit * 3;
        var expression = db.IsSqlite ? await Fts5ExpressionAsync(db, query, ct) : ToTsQuery(query);
        if (expression is null) return [];
        var match = titlesOnly && db.IsSqlite ? "title_tokens : (" + expression + ")" : expression;
        var matches = await EstimateMatchesAsync(db, match, ct);
        var common = matches > CommonMatches;
        var sql = (db.IsSqlite, common, titlesOnly) switch
        {
            (true, true, _) => matches > VeryCommonMatches ? SqliteWalk : SqliteSetWalk,
            (true, false, _) => SqliteSearch,
            (false, true, false) => PostgresWalk,
            (false, true, true) => PostgresTitleWalk,
            (false, false, true) => PostgresTitleSearch,
            (false, false, false) => PostgresSearch,
        };
        var rows = await db.Database.SqlQueryRaw<KbHit>(sql, match, audienceValue, take).ToListAsync(ct);
        var best = new Dictionary<long, KbHit>();
        var order = new List<long>();
        foreach (var row in rows)
        {
            if (!best.TryGetValue(row.ArticleId, out var kept))
            {
                best[row.ArticleId] = row;
                order.Add(row.ArticleId);
            }
            else if (kept.Language != language && row.Language == language)
            {
                best[row.ArticleId] = row;
            }
        }
        return order.Take(limit).Select(id => best[id]).ToList();
    }

    /// <summary>How many whole terms a prefix stands for at most.</summary>
    public const int PrefixTerms = 16;

    /// <summary>
    /// The query as an FTS5 expression in which each prefix ("pass*"; a lone Chinese character is a whole term) is
    /// replaced by the most frequent of the first 200 terms of the index that start with it. FTS5 would otherwise merge the
    /// lists of every such term for each match, and again for each row a walk checks; null when a
    /// prefix starts no term, so nothing can match.
    /// </summary>
    internal static async Task<string?> Fts5ExpressionAsync(SwitchboardDb db, SearchQuery query, CancellationToken ct)
    {
        var parts = new List<string>();
        foreach (var (term, prefix) in query.Terms)
        {
            if (!prefix || IsCharacter(term))
            {
                parts.Add(Quote(term));
                continue;
            }
            var terms = await db.Database.SqlQueryRaw<string>(
                """
                SELECT term AS "Value" FROM (SELECT term, doc FROM kb_fts_vocab WHERE term >= {0} AND term < {1} LIMIT 200)
                ORDER BY doc DESC, term LIMIT {2}
                """,
                term, term + "\uFFFF", PrefixTerms).ToListAsync(ct);
            if (terms.Count == 0) return null;
            parts.Add(terms.Count == 1 ? Quote(terms[0]) : "(" + string.Join(" OR ", terms.Select(Quote)) + ")");
        }
        return string.Join(" AND ", parts);
    }

    private static string Quote(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// Above this many matching versions every term of the query is in a good part of the base
    /// (words like "account" or "the"), ranking by term weight says little and costs a score for
    /// each match; the most viewed matching articles are listed instead, walking articles by views
    /// and checking each against the index until the page is full.
    /// </summary>
    public const int CommonMatches = 5_000;

    /// <summary>
    /// On SQLite, up to this many matching versions the walk checks articles against the set of
    /// matches read once (<see cref="SqliteSetWalk"/>); above it the matches are so dense that a
    /// check per article (<see cref="SqliteWalk"/>) fills the page sooner than reading them all.
    /// </summary>
    public const int VeryCommonMatches = 20_000;

    /// <summary>
    /// How many versions match, counted on SQLite up to <see cref="VeryCommonMatches"/> + 1, estimated by
    /// PostgreSQL's planner (a GIN index would read a common term's whole list to count it).
    /// </summary>
    internal static async Task<double> EstimateMatchesAsync(SwitchboardDb db, string match, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = connection.CreateCommand();
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = "q";
            parameter.Value = match;
            cmd.Parameters.Add(parameter);
            if (db.IsSqlite)
            {
                cmd.CommandText = $"SELECT count(*) FROM (SELECT 1 FROM kb_fts WHERE kb_fts MATCH @q LIMIT {VeryCommonMatches + 1})";
                return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            }
            cmd.CommandText = $"EXPLAIN (FORMAT JSON) SELECT 1 FROM kb_translations AS t WHERE {PostgresVector} @@ @q::tsquery";
            using var plan = System.Text.Json.JsonDocument.Parse((string)(await cmd.ExecuteScalarAsync(ct))!);
            return plan.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Common terms: the most viewed published articles, each version checked against the index by its row id.</summary>
    internal const string SqliteWalk = """
        SELECT t.id AS translation_id, t.article_id AS article_id, t.language AS language, t.title AS title,
               t.description AS description, a.slug AS slug, 0.0 AS rank
        FROM kb_articles AS a INDEXED BY ix_kb_articles_audience_status_view_count
        JOIN kb_translations AS t ON t.article_id = a.id
        WHERE a.audience = {1} AND a.status = 'published'
          AND EXISTS (SELECT 1 FROM kb_fts WHERE kb_fts MATCH {0} AND rowid = t.id)
        ORDER BY a.view_count DESC, a.id DESC
        LIMIT {2}
        """;

    /// <summary>
    /// Fairly common terms: the matching versions are read from the index once into a set, then the
    /// most viewed articles are walked and each looked up in it — a check per walked article would
    /// evaluate the whole expression again (7–13 µs each, a thousand and more of them at 5% density).
    /// </summary>
    internal const string SqliteSetWalk = """
        SELECT t.id AS translation_id, t.article_id AS article_id, t.language AS language, t.title AS title,
               t.description AS description, a.slug AS slug, 0.0 AS rank
        FROM kb_articles AS a INDEXED BY ix_kb_articles_audience_status_view_count
        JOIN kb_translations AS t ON t.article_id = a.id
        WHERE a.audience = {1} AND a.status = 'published'
          AND t.id IN (SELECT rowid FROM kb_fts WHERE kb_fts MATCH {0})
        ORDER BY a.view_count DESC, a.id DESC
        LIMIT {2}
        """;

    internal const string SqliteSearch = """
        SELECT t.id AS translation_id, t.article_id AS article_id, t.language AS language, t.title AS title,
               t.description AS description, a.slug AS slug, f.score AS rank
        FROM (SELECT rowid, bm25(kb_fts, 10.0, 1.0) AS score FROM kb_fts WHERE kb_fts MATCH {0}) AS f
        JOIN kb_translations AS t ON t.id = f.rowid
        JOIN kb_articles AS a ON a.id = t.article_id
        WHERE a.status = 'published' AND a.audience = {1}
        ORDER BY f.score, a.view_count DESC, a.id
        LIMIT {2}
        """;

    /// <summary>A stored column (title and body terms) with a GIN index, made by the Portal migration and unknown to the EF model.</summary>
    private const string PostgresVector = "t.search_vector";

    private const string PostgresTitle = "array_to_tsvector(string_to_array(t.title_tokens, ' '))";

    internal const string PostgresSearch = $$"""
        SELECT t.id AS translation_id, t.article_id AS article_id, t.language AS language, t.title AS title,
               t.description AS description, a.slug AS slug, CASE WHEN {{PostgresTitle}} @@ {0}::tsquery THEN -1.0 ELSE 0.0 END::float8 AS rank
        FROM kb_translations AS t
        JOIN kb_articles AS a ON a.id = t.article_id
        WHERE {{PostgresVector}} @@ {0}::tsquery AND a.status = 'published' AND a.audience = {1}
        ORDER BY 7, a.view_count DESC, a.id
        LIMIT {2}
        """;

    internal const string PostgresWalk = $$"""
        SELECT t.id AS translation_id, t.article_id AS article_id, t.language AS language, t.title AS title,
               t.description AS description, a.slug AS slug, 0.0::float8 AS rank
        FROM kb_articles AS a
        JOIN kb_translations AS t ON t.article_id = a.id
        WHERE a.audience = {1} AND a.status = 'published' AND {{PostgresVector}} @@ {0}::tsquery
        ORDER BY a.view_count DESC, a.id DESC
        LIMIT {2}
        """;

    internal const string PostgresTitleWalk = $$"""
        SELECT t.id AS translation_id, t.article_id AS article_id, t.language AS language, t.title AS title,
               t.description AS description, a.slug AS slug, 0.0::float8 AS rank
        FROM kb_articles AS a
        JOIN kb_translations AS t ON t.article_id = a.id
        WHERE a.audience = {1} AND a.status = 'published' AND {{PostgresTitle}} @@ {0}::tsquery
        ORDER BY a.view_count DESC, a.id DESC
        LIMIT {2}
        """;

    /// <summary>Suggestions match titles only; the index expression still narrows the rows (title terms are in it).</summary>
    internal const string PostgresTitleSearch = $$"""
        SELECT t.id AS translation_id, t.article_id AS article_id, t.language AS language, t.title AS title,
               t.description AS description, a.slug AS slug, -a.view_count::float8 AS rank
        FROM kb_translations AS t
        JOIN kb_articles AS a ON a.id = t.article_id
        WHERE {{PostgresVector}} @@ {0}::tsquery
          AND {{PostgresTitle}} @@ {0}::tsquery
          AND a.status = 'published' AND a.audience = {1}
        ORDER BY 7, a.id
        LIMIT {2}
        """;

    /// <summary>Counts a search that found nothing, once per distinct folded query.</summary>
    public static async Task RecordMissAsync(SwitchboardDb db, string text, DateTimeOffset now, CancellationToken ct)
    {
        var folded = string.Join(' ', SearchText.Fold(text).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (folded.Length == 0) return;
        if (folded.Length > 200) folded = folded[..200];
        var updated = await db.KbSearchMisses.Where(m => m.Query == folded)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Count, m => m.Count + 1).SetProperty(m => m.LastAt, now), ct);
        if (updated > 0) return;
        db.KbSearchMisses.Add(new KbSearchMiss { Query = folded, Count = 1, FirstAt = now, LastAt = now });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone recorded the same query at the same moment; count this one on their row.
            db.ChangeTracker.Clear();
            await db.KbSearchMisses.Where(m => m.Query == folded)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Count, m => m.Count + 1).SetProperty(m => m.LastAt, now), ct);
        }
    }

    /// <summary>The search box's text with its last word as a prefix, for suggestions while typing.</summary>
    public static SearchQuery SuggestionQuery(string text)
    {
        var trimmed = text.TrimEnd();
        return SearchQuery.Parse(text.EndsWith(' ') || trimmed.EndsWith('*') ? trimmed : trimmed + "*");
    }
}
