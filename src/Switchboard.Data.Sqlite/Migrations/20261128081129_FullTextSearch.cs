using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Sqlite.Migrations
{
    /// <summary>
    /// An FTS5 index over search_entries.tokens, kept in step by triggers. The tokens are already
    /// split and folded by the application (see SearchText), so FTS5 only has to split on spaces.
    /// </summary>
    public partial class FullTextSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE search_fts USING fts5(
                    tokens, content='search_entries', content_rowid='id',
                    tokenize='unicode61 remove_diacritics 0', detail='none');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
                    INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
                    INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER search_entries_au AFTER UPDATE OF tokens ON search_entries BEGIN
                    INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens);
                    INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens);
                END;
                """);
            migrationBuilder.Sql("INSERT INTO search_fts(search_fts) VALUES ('rebuild');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS search_entries_au;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS search_entries_ad;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS search_entries_ai;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS search_fts;");
        }
    }
}
