using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PortalNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "forum_topic_follows",
                columns: table => new
                {
                    topic_id = table.Column<long>(type: "INTEGER", nullable: false),
                    account_id = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_forum_topic_follows", x => new { x.topic_id, x.account_id });
                    table.ForeignKey(
                        name: "fk_forum_topic_follows_customer_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "customer_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_forum_topic_follows_forum_topics_topic_id",
                        column: x => x.topic_id,
                        principalTable: "forum_topics",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_forum_topic_follows_account_id",
                table: "forum_topic_follows",
                column: "account_id");

            // Authors of topics written before follows existed hear of answers, as new authors do.
            migrationBuilder.Sql("""
                INSERT INTO forum_topic_follows (topic_id, account_id, created_at)
                SELECT id, author_account_id, created_at FROM forum_topics WHERE author_account_id IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "forum_topic_follows");
        }
    }
}
