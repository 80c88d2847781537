using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Switchboard.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Chat : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "chat_widgets",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    public_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    identity_secret = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    department_id = table.Column<long>(type: "bigint", nullable: true),
                    allowed_origins = table.Column<string>(type: "text", nullable: false),
                    pre_chat_fields = table.Column<string>(type: "text", nullable: false),
                    routing_mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ring_timeout_seconds = table.Column<int>(type: "integer", nullable: false),
                    max_queue_wait_seconds = table.Column<int>(type: "integer", nullable: false),
                    invitations = table.Column<string>(type: "text", nullable: false),
                    max_file_bytes = table.Column<long>(type: "bigint", nullable: false),
                    allowed_file_types = table.Column<string>(type: "text", nullable: false),
                    last_offered_agent_id = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_chat_widgets", x => x.id);
                    table.ForeignKey(
                        name: "fk_chat_widgets_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "chat_conversations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    widget_id = table.Column<long>(type: "bigint", nullable: false),
                    ticket_id = table.Column<long>(type: "bigint", nullable: false),
                    contact_id = table.Column<long>(type: "bigint", nullable: false),
                    department_id = table.Column<long>(type: "bigint", nullable: true),
                    visitor_token_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    agent_id = table.Column<long>(type: "bigint", nullable: true),
                    ringing_agent_id = table.Column<long>(type: "bigint", nullable: true),
                    ringing_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    passed_agent_ids = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    queued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    accepted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    visitor_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    visitor_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    identity_verified = table.Column<bool>(type: "boolean", nullable: false),
                    pre_chat_values = table.Column<string>(type: "text", nullable: false),
                    current_page = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    pages_visited = table.Column<string>(type: "text", nullable: false),
                    referrer = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    locale = table.Column<string>(type: "character varying(35)", maxLength: 35, nullable: true),
                    user_agent = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    last_read_by_visitor = table.Column<long>(type: "bigint", nullable: false),
                    last_read_by_agent = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_chat_conversations", x => x.id);
                    table.ForeignKey(
                        name: "fk_chat_conversations_chat_widgets_widget_id",
                        column: x => x.widget_id,
                        principalTable: "chat_widgets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_chat_conversations_contacts_contact_id",
                        column: x => x.contact_id,
                        principalTable: "contacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_chat_conversations_tickets_ticket_id",
                        column: x => x.ticket_id,
                        principalTable: "tickets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "chat_lines",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    conversation_id = table.Column<long>(type: "bigint", nullable: false),
                    client_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    message_id = table.Column<long>(type: "bigint", nullable: false),
                    sender_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    agent_id = table.Column<long>(type: "bigint", nullable: true),
                    text = table.Column<string>(type: "text", nullable: false),
                    attachment_id = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_chat_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_chat_lines_attachments_attachment_id",
                        column: x => x.attachment_id,
                        principalTable: "attachments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_chat_lines_chat_conversations_conversation_id",
                        column: x => x.conversation_id,
                        principalTable: "chat_conversations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_chat_lines_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_chat_conversations_agent_id_status",
                table: "chat_conversations",
                columns: new[] { "agent_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_chat_conversations_contact_id",
                table: "chat_conversations",
                column: "contact_id");

            migrationBuilder.CreateIndex(
                name: "ix_chat_conversations_status_queued_at",
                table: "chat_conversations",
                columns: new[] { "status", "queued_at" });

            migrationBuilder.CreateIndex(
                name: "ix_chat_conversations_ticket_id",
                table: "chat_conversations",
                column: "ticket_id");

            migrationBuilder.CreateIndex(
                name: "ix_chat_conversations_visitor_token_hash",
                table: "chat_conversations",
                column: "visitor_token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_chat_conversations_widget_id",
                table: "chat_conversations",
                column: "widget_id");

            migrationBuilder.CreateIndex(
                name: "ix_chat_lines_attachment_id",
                table: "chat_lines",
                column: "attachment_id");

            migrationBuilder.CreateIndex(
                name: "ix_chat_lines_conversation_id_client_id",
                table: "chat_lines",
                columns: new[] { "conversation_id", "client_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_chat_lines_conversation_id_id",
                table: "chat_lines",
                columns: new[] { "conversation_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_chat_lines_message_id",
                table: "chat_lines",
                column: "message_id");

            migrationBuilder.CreateIndex(
                name: "ix_chat_widgets_department_id",
                table: "chat_widgets",
                column: "department_id");

            migrationBuilder.CreateIndex(
                name: "ix_chat_widgets_public_key",
                table: "chat_widgets",
                column: "public_key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "chat_lines");

            migrationBuilder.DropTable(
                name: "chat_conversations");

            migrationBuilder.DropTable(
                name: "chat_widgets");
        }
    }
}
