using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Switchboard.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Sla : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_response_due_at",
                table: "tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_response_warn_at",
                table: "tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "next_response_due_at",
                table: "tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "next_response_warn_at",
                table: "tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "resolution_due_at",
                table: "tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "resolution_warn_at",
                table: "tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "sla_breached",
                table: "tickets",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "sla_next_check_at",
                table: "tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "sla_paused_at",
                table: "tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "sla_policy_id",
                table: "tickets",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sla_status",
                table: "tickets",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "none");

            migrationBuilder.AddColumn<int>(
                name: "sla_warned",
                table: "tickets",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "calendar_id",
                table: "departments",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "work_calendars",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    time_zone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    weekly_hours = table.Column<string>(type: "text", nullable: false),
                    is_default = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_work_calendars", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sla_policies",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    conditions = table.Column<string>(type: "text", nullable: false),
                    first_response_minutes = table.Column<int>(type: "integer", nullable: true),
                    next_response_minutes = table.Column<int>(type: "integer", nullable: true),
                    resolution_minutes = table.Column<int>(type: "integer", nullable: true),
                    chat_first_answer_seconds = table.Column<int>(type: "integer", nullable: true),
                    warning_percent = table.Column<int>(type: "integer", nullable: false),
                    calendar_id = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sla_policies", x => x.id);
                    table.ForeignKey(
                        name: "fk_sla_policies_work_calendars_calendar_id",
                        column: x => x.calendar_id,
                        principalTable: "work_calendars",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "work_calendar_holidays",
                columns: table => new
                {
                    calendar_id = table.Column<long>(type: "bigint", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_work_calendar_holidays", x => new { x.calendar_id, x.date });
                    table.ForeignKey(
                        name: "fk_work_calendar_holidays_work_calendars_calendar_id",
                        column: x => x.calendar_id,
                        principalTable: "work_calendars",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_tickets_sla_next_check_at",
                table: "tickets",
                column: "sla_next_check_at");

            migrationBuilder.CreateIndex(
                name: "ix_departments_calendar_id",
                table: "departments",
                column: "calendar_id");

            migrationBuilder.CreateIndex(
                name: "ix_sla_policies_calendar_id",
                table: "sla_policies",
                column: "calendar_id");

            migrationBuilder.CreateIndex(
                name: "ix_sla_policies_position",
                table: "sla_policies",
                column: "position");

            migrationBuilder.CreateIndex(
                name: "ix_work_calendars_name",
                table: "work_calendars",
                column: "name",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_departments_work_calendars_calendar_id",
                table: "departments",
                column: "calendar_id",
                principalTable: "work_calendars",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_departments_work_calendars_calendar_id",
                table: "departments");

            migrationBuilder.DropTable(
                name: "sla_policies");

            migrationBuilder.DropTable(
                name: "work_calendar_holidays");

            migrationBuilder.DropTable(
                name: "work_calendars");

            migrationBuilder.DropIndex(
                name: "ix_tickets_sla_next_check_at",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "ix_departments_calendar_id",
                table: "departments");

            migrationBuilder.DropColumn(
                name: "first_response_due_at",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "first_response_warn_at",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "next_response_due_at",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "next_response_warn_at",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "resolution_due_at",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "resolution_warn_at",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_breached",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_next_check_at",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_paused_at",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_policy_id",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_status",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_warned",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "calendar_id",
                table: "departments");
        }
    }
}
