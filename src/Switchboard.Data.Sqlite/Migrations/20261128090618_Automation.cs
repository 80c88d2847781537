using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Automation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "automation_rules",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    is_active = table.Column<bool>(type: "INTEGER", nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false),
                    trigger = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    conditions = table.Column<string>(type: "TEXT", nullable: false),
                    actions = table.Column<string>(type: "TEXT", nullable: false),
                    time_condition = table.Column<string>(type: "TEXT", nullable: true),
                    webhook_secret = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    stop_processing = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_automation_rules", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_tickets_status_updated_at",
                table: "tickets",
                columns: new[] { "status", "updated_at" });

            migrationBuilder.CreateIndex(
                name: "ix_automation_rules_name",
                table: "automation_rules",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_automation_rules_trigger_position",
                table: "automation_rules",
                columns: new[] { "trigger", "position" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "automation_rules");

            migrationBuilder.DropIndex(
                name: "ix_tickets_status_updated_at",
                table: "tickets");
        }
    }
}
