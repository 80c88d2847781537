using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Routing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "rated_at",
                table: "tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "rating",
                table: "tickets",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "none");

            migrationBuilder.AddColumn<string>(
                name: "rating_comment",
                table: "tickets",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "assignment_mode",
                table: "departments",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "manual");

            migrationBuilder.AddColumn<long>(
                name: "last_assigned_agent_id",
                table: "departments",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "availability",
                table: "agents",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "offline");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "availability_changed_at",
                table: "agents",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "agent_capacities",
                columns: table => new
                {
                    agent_id = table.Column<long>(type: "bigint", nullable: false),
                    channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    max_open = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agent_capacities", x => new { x.agent_id, x.channel });
                    table.ForeignKey(
                        name: "fk_agent_capacities_agents_agent_id",
                        column: x => x.agent_id,
                        principalTable: "agents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "agent_skills",
                columns: table => new
                {
                    agent_id = table.Column<long>(type: "bigint", nullable: false),
                    tag = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agent_skills", x => new { x.agent_id, x.tag });
                    table.ForeignKey(
                        name: "fk_agent_skills_agents_agent_id",
                        column: x => x.agent_id,
                        principalTable: "agents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agent_capacities");

            migrationBuilder.DropTable(
                name: "agent_skills");

            migrationBuilder.DropColumn(
                name: "rated_at",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "rating",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "rating_comment",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "assignment_mode",
                table: "departments");

            migrationBuilder.DropColumn(
                name: "last_assigned_agent_id",
                table: "departments");

            migrationBuilder.DropColumn(
                name: "availability",
                table: "agents");

            migrationBuilder.DropColumn(
                name: "availability_changed_at",
                table: "agents");
        }
    }
}
