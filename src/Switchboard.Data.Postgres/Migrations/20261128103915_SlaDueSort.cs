using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SlaDueSort : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "sla_due_at",
                table: "tickets",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero));

            // Existing tickets: the nearest running due time, else nothing due (sorts last).
            migrationBuilder.Sql(
                "UPDATE tickets SET sla_due_at = coalesce(least(first_response_due_at, next_response_due_at, resolution_due_at), " +
                "'9999-12-31T00:00:00Z'::timestamptz) WHERE status NOT IN ('resolved', 'closed', 'spam');");

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
