using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SlaDueSort : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "sla_due_at",
                table: "tickets",
                type: "INTEGER",
                nullable: false,
                defaultValue: 253402214400000L);

            // Existing tickets: the nearest running due time, else nothing due (sorts last).
            migrationBuilder.Sql(
                "UPDATE tickets SET sla_due_at = min(coalesce(first_response_due_at, 253402214400000), " +
                "coalesce(next_response_due_at, 253402214400000), coalesce(resolution_due_at, 253402214400000)) " +
                "WHERE status NOT IN ('resolved', 'closed', 'spam');");

            migrationBuilder.CreateIndex(
                name: "ix_tickets_status_assignee_id_sla_due_at_id",
                table: "tickets",
                columns: new[] { "status", "assignee_id", "sla_due_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_tickets_status_department_id_sla_due_at_id",
                table: "tickets",
                columns: new[] { "status", "department_id", "sla_due_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tickets_status_assignee_id_sla_due_at_id",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "ix_tickets_status_department_id_sla_due_at_id",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_due_at",
                table: "tickets");
        }
    }
}
