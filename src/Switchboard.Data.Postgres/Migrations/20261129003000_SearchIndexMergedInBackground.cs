using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Switchboard.Core.Data;

#nullable disable

namespace Switchboard.Data.Postgres.Migrations
{
    /// <summary>
    /// The search index gathers new entries in a pending list again (fastupdate on), which the host
    /// merges into the index in the background a few times a second (<c>PostgresSearchIndexCleaner</c>),
    /// so no insert merges a full list inside its own statement (the reason it was turned off in
    /// <c>SearchIndexWithoutPendingList</c>) and no insert pays for putting each term into the index
    /// either: a batch of mail spent 40 % of its storing time there.
    /// </summary>
    [DbContext(typeof(SwitchboardDb))]
    [Migration("20261129003000_SearchIndexMergedInBackground")]
    public partial class SearchIndexMergedInBackground : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER INDEX ix_search_entries_fts SET (fastupdate = on);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER INDEX ix_search_entries_fts SET (fastupdate = off);");
            migrationBuilder.Sql("SELECT gin_clean_pending_list('ix_search_entries_fts'::regclass);");
        }
    }
}
