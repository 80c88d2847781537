using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Postgres.Migrations
{
    /// <summary>
    /// The search index takes each entry into the index as it is inserted (fastupdate off). With
    /// PostgreSQL's default, entries gather in a pending list and the insert that fills it (4 MB) merges
    /// the whole list into the index inside its own statement: under a steady stream of chat lines one
    /// commit in a few thousand stalled for 60–130 ms, and every line waiting behind it with it.
    /// </summary>
    public partial class SearchIndexWithoutPendingList : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER INDEX ix_search_entries_fts SET (fastupdate = off);");
            // Turning it off keeps what is already pending: merge that now, not in a later insert.
            migrationBuilder.Sql("SELECT gin_clean_pending_list('ix_search_entries_fts'::regclass);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER INDEX ix_search_entries_fts RESET (fastupdate);");
        }
    }
}
