using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Switchboard.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class EmailChannel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "follow_up_of_id",
                table: "tickets",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cc_addresses",
                table: "messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "delivery_error",
                table: "messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "delivery_status",
                table: "messages",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "from_address",
                table: "messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "threading_reason",
                table: "messages",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "to_addresses",
                table: "messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "signature",
                table: "departments",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "content_id",
                table: "attachments",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "is_inline",
                table: "attachments",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "mailboxes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    department_id = table.Column<long>(type: "bigint", nullable: true),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    inbound_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    inbound_host = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    inbound_port = table.Column<int>(type: "integer", nullable: true),
                    inbound_security = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    inbound_username = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    inbound_password_protected = table.Column<string>(type: "text", nullable: true),
                    inbound_folder = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    outbound_host = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    outbound_port = table.Column<int>(type: "integer", nullable: true),
                    outbound_security = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    outbound_username = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    outbound_password_protected = table.Column<string>(type: "text", nullable: true),
                    auto_acknowledge = table.Column<bool>(type: "boolean", nullable: false),
                    acknowledge_template = table.Column<string>(type: "text", nullable: true),
                    signature = table.Column<string>(type: "text", nullable: true),
                    imap_uid_validity = table.Column<long>(type: "bigint", nullable: true),
                    imap_last_uid = table.Column<long>(type: "bigint", nullable: true),
                    last_fetch_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mailboxes", x => x.id);
                    table.ForeignKey(
                        name: "fk_mailboxes_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "ticket_participants",
                columns: table => new
                {
                    ticket_id = table.Column<long>(type: "bigint", nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ticket_participants", x => new { x.ticket_id, x.email });
                    table.ForeignKey(
                        name: "fk_ticket_participants_tickets_ticket_id",
                        column: x => x.ticket_id,
                        principalTable: "tickets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "inbound_mails",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    mailbox_id = table.Column<long>(type: "bigint", nullable: false),
                    dedup_key = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    raw_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    raw_size = table.Column<long>(type: "bigint", nullable: false),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "text", nullable: true),
                    from_address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    subject = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    ticket_id = table.Column<long>(type: "bigint", nullable: true),
                    message_id = table.Column<long>(type: "bigint", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbound_mails", x => x.id);
                    table.ForeignKey(
                        name: "fk_inbound_mails_mailboxes_mailbox_id",
                        column: x => x.mailbox_id,
                        principalTable: "mailboxes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "outbound_mails",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    mailbox_id = table.Column<long>(type: "bigint", nullable: false),
                    ticket_id = table.Column<long>(type: "bigint", nullable: true),
                    message_id = table.Column<long>(type: "bigint", nullable: true),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    message_id_header = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    in_reply_to = table.Column<string>(type: "text", nullable: true),
                    references = table.Column<string>(type: "text", nullable: true),
                    to_addresses = table.Column<string>(type: "text", nullable: false),
                    cc_addresses = table.Column<string>(type: "text", nullable: true),
                    subject = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    body_text = table.Column<string>(type: "text", nullable: false),
                    body_html = table.Column<string>(type: "text", nullable: true),
                    attachment_ids = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbound_mails", x => x.id);
                    table.ForeignKey(
                        name: "fk_outbound_mails_mailboxes_mailbox_id",
                        column: x => x.mailbox_id,
                        principalTable: "mailboxes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_inbound_mails_mailbox_id_dedup_key",
                table: "inbound_mails",
                columns: new[] { "mailbox_id", "dedup_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_inbound_mails_status_id",
                table: "inbound_mails",
                columns: new[] { "status", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_inbound_mails_ticket_id",
                table: "inbound_mails",
                column: "ticket_id");

            migrationBuilder.CreateIndex(
                name: "ix_mailboxes_address",
                table: "mailboxes",
                column: "address",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_mailboxes_department_id",
                table: "mailboxes",
                column: "department_id");

            migrationBuilder.CreateIndex(
                name: "ix_outbound_mails_kind_to_addresses_created_at",
                table: "outbound_mails",
                columns: new[] { "kind", "to_addresses", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_outbound_mails_mailbox_id",
                table: "outbound_mails",
                column: "mailbox_id");

            migrationBuilder.CreateIndex(
                name: "ix_outbound_mails_message_id_header",
                table: "outbound_mails",
                column: "message_id_header",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbound_mails_status_next_attempt_at",
                table: "outbound_mails",
                columns: new[] { "status", "next_attempt_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "inbound_mails");

            migrationBuilder.DropTable(
                name: "outbound_mails");

            migrationBuilder.DropTable(
                name: "ticket_participants");

            migrationBuilder.DropTable(
                name: "mailboxes");

            migrationBuilder.DropColumn(
                name: "follow_up_of_id",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "cc_addresses",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "delivery_error",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "delivery_status",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "from_address",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "threading_reason",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "to_addresses",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "signature",
                table: "departments");

            migrationBuilder.DropColumn(
                name: "content_id",
                table: "attachments");

            migrationBuilder.DropColumn(
                name: "is_inline",
                table: "attachments");
        }
    }
}
