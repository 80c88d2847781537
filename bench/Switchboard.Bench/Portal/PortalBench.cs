using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Core.Search;
using Switchboard.Portal;

namespace Switchboard.Bench.Portal;

internal sealed record PortalSettings(
    DatabaseProvider Provider, string ConnectionString, int Articles, TimeSpan Duration, int Requests, int Warmup, string? HostPath, string OutputDirectory);

/// <summary>
/// The portal's knowledge base at size: generates articles in English, Filipino and Chinese (once),
/// then measures the search page, the suggestions and the article page through HTTP, each beside the
/// same SQL run directly.
/// </summary>
internal static class PortalBench
{
    private const int Batch = 2_000;

    public static async Task<int> RunAsync(PortalSettings settings)
    {
        await GenerateAsync(settings);
        var raw = new PortalRaw(settings.Provider, settings.ConnectionString);
        var loadBefore = Report.LoadAverage();
        var (articles, versions) = await raw.CountsAsync();
        Log($"Dataset: {articles:N0} articles, {versions:N0} versions");
        await using var host = await HostProcess.StartAsync(settings.Provider, settings.ConnectionString, settings.HostPath,
            (int)Math.Max(900, settings.Duration.TotalSeconds * 30), new Dictionary<string, string>
            {
                // One client address makes every request: the per-address limits would stop the run.
                ["Portal__SearchesPerMinute"] = "100000000",
                ["Portal__PostsPerMinute"] = "100000000",
                ["Email__RunWorkers"] = "false",
                ["Automation__RunWorker"] = "false",
                ["Sla__RunWorker"] = "false",
            });
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };

        var rows = new List<(string Name, string Target, double TargetMs, Samples Api, Samples Raw, string Note)>();
        foreach (var probe in Probes)
        {
            var query = SearchQuery.Parse(probe.Text);
            var frequency = await raw.FrequencyAsync(query);
            var (api, direct) = await MeasureAsync(settings, $"Search {probe.Label}",
                _ => GetAsync(http, "/portal/search?q=" + Uri.EscapeDataString(probe.Text)), _ => raw.SearchAsync(query));
            rows.Add(($"Search page: {probe.Label} '{probe.Text}'", "p99 ≤ 20 ms", 20, api, direct, $"{frequency:N0} matching versions"));
        }
        var suggest = SearchQuery.Parse("pass*");
        var (sApi, sRaw) = await MeasureAsync(settings, "Suggest", _ => GetAsync(http, "/portal/search/suggest?q=pass"), _ => raw.SearchAsync(suggest, titlesOnly: true));
        rows.Add(("Suggestions: GET /portal/search/suggest?q=pass", "p99 ≤ 20 ms", 20, sApi, sRaw, "titles, last word as a prefix; 8 suggestions"));

        var ids = await raw.ArticleIdsAsync(10_000);
        var (aApi, aRaw) = await MeasureAsync(settings, "Article page",
            i => GetAsync(http, $"/portal/kb/articles/{ids[i % ids.Count].Id}/{ids[i % ids.Count].Slug}"),
            i => raw.ArticleAsync(ids[i % ids.Count].Id));
        rows.Add(("Article page: GET /portal/kb/articles/{id}/{slug}", "p99 ≤ 30 ms", 30, aApi, aRaw, "random published articles, rendered HTML; raw = its 5 statements"));

        var report = Render(settings, articles, versions, loadBefore, rows);
        Console.WriteLine(report);
        Directory.CreateDirectory(settings.OutputDirectory);
        var file = Path.Combine(settings.OutputDirectory, $"latest-portal-{settings.Provider.ToString().ToLowerInvariant()}.md");
        await File.WriteAllTextAsync(file, report);
        Log($"Wrote {file}");
        return 0;
    }

    private sealed record Probe(string Label, string Text);

    /// <summary>Words of each language at different frequencies (the generator draws words with a Zipf distribution).</summary>
    private static readonly Probe[] Probes =
    [
        new("English, common", Vocabulary.English[0]),
        new("English, two words", Vocabulary.English[3] + " " + Vocabulary.English[40]),
        new("English, rare", Vocabulary.English[1500]),
        new("Filipino", Vocabulary.Filipino[20]),
        new("Chinese", Vocabulary.Chinese[2] + Vocabulary.Chinese[5]),
        new("Chinese, rare", Vocabulary.Chinese[300]),
    ];

    private static async Task GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
        await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<(Samples Api, Samples Raw)> MeasureAsync(PortalSettings settings, string name, Func<int, Task> api, Func<int, Task> raw)
    {
        var apiSamples = await SampleAsync(settings, api);
        var rawSamples = await SampleAsync(settings, raw);
        Log($"{name}: API p50 {apiSamples.P50:F2} ms, p99 {apiSamples.P99:F2} ms; raw p50 {rawSamples.P50:F2} ms, p99 {rawSamples.P99:F2} ms");
        return (apiSamples, rawSamples);
    }

    private static async Task<Samples> SampleAsync(PortalSettings settings, Func<int, Task> call)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < settings.Warmup && clock.Elapsed < settings.Duration / 4; i++) await call(1_000_000 + i);
        var samples = new List<double>(settings.Requests);
        clock.Restart();
        for (var i = 0; i < settings.Requests && (samples.Count < 5 || clock.Elapsed < settings.Duration); i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call(i);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return new Samples(samples);
    }

    /// <summary>Migrates and fills an empty database; a database that already holds the articles is reused.</summary>
    private static async Task GenerateAsync(PortalSettings settings)
    {
        await using (var db = Db.Create(settings.Provider, settings.ConnectionString))
        {
            await DatabaseSetup.MigrateAsync(db);
            var existing = await db.KbArticles.CountAsync();
            if (existing >= settings.Articles) return;
            if (existing > 0) throw new InvalidOperationException($"The database holds {existing:N0} articles, fewer than asked; use a fresh database.");
        }
        Log($"Generating {settings.Articles:N0} articles");
        var clock = Stopwatch.StartNew();
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        long categoryId;
        await using (var db = Db.Create(settings.Provider, settings.ConnectionString))
        {
            var category = new KbCategory { Name = "Everything", Slug = "everything", Audience = KbAudience.Public, CreatedAt = now };
            db.KbCategories.Add(category);
            await db.SaveChangesAsync();
            categoryId = category.Id;
        }
        for (var start = 0; start < settings.Articles; start += Batch)
        {
            await using var db = Db.Create(settings.Provider, settings.ConnectionString);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(settings.Articles, start + Batch); i++)
            {
                var language = (i % 3) switch { 0 => "en", 1 => "fil", _ => "zh-Hans" };
                var (title, body) = Vocabulary.Article(random, language);
                var version = KnowledgeBaseApi.Version(0, language, title, null, body, now);
                // Every tenth article has a second version, so language switching and per-article grouping are exercised.
                var versions = new List<KbTranslation> { version };
                if (i % 10 == 0 && language != "en")
                {
                    var (enTitle, enBody) = Vocabulary.Article(random, "en");
                    versions.Add(KnowledgeBaseApi.Version(0, "en", enTitle, null, enBody, now));
                }
                db.KbArticles.Add(new KbArticle
                {
                    CategoryId = categoryId,
                    Audience = KbAudience.Public,
                    Status = i % 50 == 49 ? ArticleStatus.Draft : ArticleStatus.Published,
                    Slug = Switchboard.Portal.Markdown.Slug(version.Title),
                    ViewCount = random.Next(10_000),
                    CreatedAt = now,
                    UpdatedAt = now,
                    PublishedAt = now,
                    Translations = versions,
                });
            }
            await db.SaveChangesAsync();
            if ((start / Batch) % 10 == 0) Log($"{start + Batch:N0} articles ({clock.Elapsed.TotalSeconds:N0} s)");
        }
        if (settings.Provider == DatabaseProvider.Postgres)
        {
            await using var db = Db.Create(settings.Provider, settings.ConnectionString);
            // One statement each: VACUUM refuses to run in a batch.
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE kb_translations");
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE kb_articles");
        }
        else
        {
            await using var db = Db.Create(settings.Provider, settings.ConnectionString);
            await db.Database.ExecuteSqlRawAsync("INSERT INTO kb_fts(kb_fts) VALUES ('optimize'); ANALYZE;");
        }
        Log($"Generated in {clock.Elapsed.TotalSeconds:N0} s");
    }

    private static string Render(PortalSettings settings, long articles, long versions, string loadBefore,
        List<(string Name, string Target, double TargetMs, Samples Api, Samples Raw, string Note)> rows)
    {
        var provider = settings.Provider == DatabaseProvider.Sqlite ? "SQLite" : "PostgreSQL";
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### Portal, {provider}");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version}. {articles:N0} articles ({versions:N0} language versions: English, Filipino, Chinese; 2% drafts). " +
            $"Load average before {loadBefore}, after {Report.LoadAverage()}. Up to {settings.Requests} sequential requests per scenario within {settings.Duration.TotalSeconds:F0} s after {settings.Warmup} warm-up calls.");
        sb.AppendLine();
        sb.AppendLine("| Scenario | n | API p50 | API p99 | raw p50 | raw p99 | ratio p50 | ratio p99 | target | met | note |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|");
        foreach (var r in rows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Api.Count} | {r.Api.P50:F2} | {r.Api.P99:F2} | {r.Raw.P50:F2} | {r.Raw.P99:F2} | {r.Api.P50 / r.Raw.P50:F1}× | {r.Api.P99 / r.Raw.P99:F1}× | {r.Target} | {(r.Api.P99 <= r.TargetMs ? "yes" : "**no**")} | {r.Note} |");
        }
        return sb.ToString();
    }

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}

/// <summary>The statements the portal sends, run directly with ADO.NET and read to the last column.</summary>
internal sealed class PortalRaw(DatabaseProvider provider, string connectionString)
{
    private async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = provider == DatabaseProvider.Sqlite ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static DbCommand Command(DbConnection connection, string sql, params object[] args)
    {
        var cmd = connection.CreateCommand();
        var text = sql;
        for (var i = 0; i < args.Length; i++)
        {
            text = text.Replace("{" + i.ToString(CultureInfo.InvariantCulture) + "}", "@p" + i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            var p = cmd.CreateParameter();
            p.ParameterName = "p" + i.ToString(CultureInfo.InvariantCulture);
            p.Value = args[i];
            cmd.Parameters.Add(p);
        }
        cmd.CommandText = text;
        return cmd;
    }

    private static async Task<int> ReadAllAsync(DbCommand cmd)
    {
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            for (var c = 0; c < reader.FieldCount; c++) _ = reader.GetValue(c);
            rows++;
        }
        return rows;
    }

    public async Task<(long Articles, long Versions)> CountsAsync()
    {
        await using var connection = await OpenAsync();
        await using var a = Command(connection, "SELECT count(*) FROM kb_articles");
        await using var v = Command(connection, "SELECT count(*) FROM kb_translations");
        return (Convert.ToInt64(await a.ExecuteScalarAsync(), CultureInfo.InvariantCulture), Convert.ToInt64(await v.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
    }

    public async Task<long> FrequencyAsync(SearchQuery query)
    {
        await using var connection = await OpenAsync();
        await using var cmd = provider == DatabaseProvider.Sqlite
            ? Command(connection, "SELECT count(*) FROM kb_fts WHERE kb_fts MATCH {0}", query.ToFts5())
            : Command(connection, "SELECT count(*) FROM kb_translations AS t WHERE t.search_vector @@ {0}::tsquery", KbSearch.ToTsQuery(query));
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>The statements the search page sends (KbSearch): how common the terms are, then the matching shape, 20 results × 3 versions.</summary>
    public async Task SearchAsync(SearchQuery query, bool titlesOnly = false)
    {
        await using var connection = await OpenAsync();
        var expression = provider == DatabaseProvider.Sqlite ? await Fts5ExpressionAsync(connection, query) : query.ToFts5();
        var match = titlesOnly ? "title_tokens : (" + expression + ")" : expression;
        bool common;
        var veryCommon = false;
        if (provider == DatabaseProvider.Sqlite)
        {
            await using var count = Command(connection, $"SELECT count(*) FROM (SELECT 1 FROM kb_fts WHERE kb_fts MATCH {{0}} LIMIT {KbSearch.VeryCommonMatches + 1})", match);
            var matches = Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            common = matches > KbSearch.CommonMatches;
            veryCommon = matches > KbSearch.VeryCommonMatches;
        }
        else
        {
            await using var plan = Command(connection,
                "EXPLAIN (FORMAT JSON) SELECT 1 FROM kb_translations AS t WHERE t.search_vector @@ {0}::tsquery",
                KbSearch.ToTsQuery(query));
            using var json = System.Text.Json.JsonDocument.Parse((string)(await plan.ExecuteScalarAsync())!);
            common = json.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble() > KbSearch.CommonMatches;
        }
        await using var cmd = provider == DatabaseProvider.Sqlite
            ? Command(connection, common ? (veryCommon ? KbSearch.SqliteWalk : KbSearch.SqliteSetWalk) : KbSearch.SqliteSearch, match, "public", titlesOnly ? 24 : 60)
            : Command(connection, titlesOnly ? (common ? KbSearch.PostgresTitleWalk : KbSearch.PostgresTitleSearch) : common ? KbSearch.PostgresWalk : KbSearch.PostgresSearch,
                KbSearch.ToTsQuery(query), "public", titlesOnly ? 24 : 60);
        await ReadAllAsync(cmd);
    }

    /// <summary>As KbSearch.Fts5ExpressionAsync: each prefix becomes the most frequent terms that start with it.</summary>
    private static async Task<string> Fts5ExpressionAsync(DbConnection connection, SearchQuery query)
    {
        var parts = new List<string>();
        foreach (var (term, prefix) in query.Terms)
        {
            if (!prefix || KbSearch.IsCharacter(term))
            {
                parts.Add("\"" + term + "\"");
                continue;
            }
            await using var cmd = Command(connection, """
                SELECT term FROM (SELECT term, doc FROM kb_fts_vocab WHERE term >= {0} AND term < {1} LIMIT 200)
                ORDER BY doc DESC, term LIMIT {2}
                """, term, term + "\uFFFF", KbSearch.PrefixTerms);
            var terms = new List<string>();
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) terms.Add(reader.GetString(0));
            }
            parts.Add("(" + string.Join(" OR ", terms.Select(t => "\"" + t + "\"")) + ")");
        }
        return string.Join(" AND ", parts);
    }

    public async Task<List<(long Id, string Slug)>> ArticleIdsAsync(int count)
    {
        await using var connection = await OpenAsync();
        await using var cmd = Command(connection, "SELECT id, slug FROM kb_articles WHERE status = 'published' ORDER BY id");
        var all = new List<(long, string)>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) all.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        var random = new Random(11);
        return Enumerable.Range(0, count).Select(_ => all[random.Next(all.Count)]).ToList();
    }

    /// <summary>What the article page reads: article, its languages, the version, category, related (views are counted in memory).</summary>
    public async Task ArticleAsync(long id)
    {
        await using var connection = await OpenAsync();
        await using (var cmd = Command(connection, "SELECT id, slug, category_id, view_count FROM kb_articles WHERE id = {0} AND audience = 'public' AND status = 'published' LIMIT 1", id))
        {
            await ReadAllAsync(cmd);
        }
        await using (var cmd = Command(connection, "SELECT language FROM kb_translations WHERE article_id = {0}", id))
        {
            await ReadAllAsync(cmd);
        }
        await using (var cmd = Command(connection, "SELECT title, description, body_html, updated_at FROM kb_translations WHERE article_id = {0} ORDER BY language LIMIT 1", id))
        {
            await ReadAllAsync(cmd);
        }
        await using (var cmd = Command(connection, "SELECT c.id, c.name, c.slug, c.description, c.parent_id FROM kb_categories AS c JOIN kb_articles AS a ON a.category_id = c.id WHERE a.id = {0}", id))
        {
            await ReadAllAsync(cmd);
        }
        await using (var cmd = Command(connection, "SELECT a.id FROM kb_related_articles AS r JOIN kb_articles AS a ON a.id = r.related_id WHERE r.article_id = {0} AND a.audience = 'public' AND a.status = 'published' LIMIT 10", id))
        {
            await ReadAllAsync(cmd);
        }
    }
}
