using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Postgres.Migrations
{
    /// <summary>
    /// A GIN index over search_entries.tokens. The tokens are already split and folded by the
    /// application (see SearchText); array_to_tsvector takes them as they are, so the result does
    /// not depend on the server's locale or text-search configuration.
    /// </summary>
    public partial class FullTextSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE INDEX ix_search_entries_fts ON search_entries
                USING gin (array_to_tsvector(string_to_array(tokens, ' ')));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_search_entries_fts;");
        }
    }
}
