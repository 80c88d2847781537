using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Switchboard.Core.Data;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Automation;

/// <summary>With private targets allowed, a rule's webhook reaches a receiver on this machine, signed with the rule's secret.</summary>
public abstract class WebhookDeliveryTests(SwitchboardFactory factory) : ApiTests(factory)
{
    private const string Secret = "a secret of sixteen characters";

    [Fact]
    public async Task Webhook_PrivateTargetsAllowed_DeliveredWithValidSignature()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = ReceiveOneAsync(listener);
        var tag = Unique("hook");
        var name = Unique("Hook ");
        await Admin.PostAsJsonAsync("/api/v1/automation/rules", new
        {
            name,
            trigger = "ticket_created",
            conditions = new { all = new[] { new { field = "ticket.tags", op = "equals", value = tag } } },
            actions = new[] { new { type = "call_webhook", url = $"http://127.0.0.1:{port}/hook" } },
            webhookSecret = Secret,
        }).ShouldBeAsync(HttpStatusCode.Created);

        var ticket = await CreateTicketAsync(tag);

        var (body, signature) = await received.WaitAsync(TimeSpan.FromSeconds(15));
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));
        Assert.Equal(expected, signature);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(ticket.Id(), json.RootElement.GetProperty("ticket").GetProperty("id").GetInt64());
        Assert.Equal("created", json.RootElement.GetProperty("event").GetProperty("type").GetString());
        Assert.Equal(name, json.RootElement.GetProperty("rule").GetProperty("name").GetString());
        for (var i = 0; i < 100; i++)
        {
            var events = (await GetAsync($"/api/v1/tickets/{ticket.Id()}/events")).Items();
            if (events.Any(e => e.Str("type") == "webhook" && e.Str("newValue").EndsWith("delivered (200)", StringComparison.Ordinal))) return;
            await Task.Delay(100);
        }
        Assert.Fail("The delivery was not recorded on the ticket.");
    }

    private static async Task<(byte[] Body, string? Signature)> ReceiveOneAsync(HttpListener listener)
    {
        var context = await listener.GetContextAsync();
        using var buffer = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(buffer);
        var signature = context.Request.Headers["X-Switchboard-Signature"];
        context.Response.StatusCode = 200;
        context.Response.Close();
        return (buffer.ToArray(), signature);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

/// <summary>A host that lets webhooks reach loopback and private addresses.</summary>
public abstract class PrivateWebhookFactory(DatabaseProvider provider) : SwitchboardFactory(provider)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Automation:AllowPrivateWebhookTargets", "true");
    }
}

public sealed class SqlitePrivateWebhookFactory() : PrivateWebhookFactory(DatabaseProvider.Sqlite);

public sealed class PostgresPrivateWebhookFactory() : PrivateWebhookFactory(DatabaseProvider.Postgres);

public sealed class WebhookDeliveryTests_Sqlite(SqlitePrivateWebhookFactory factory) : WebhookDeliveryTests(factory), IClassFixture<SqlitePrivateWebhookFactory>;

public sealed class WebhookDeliveryTests_Postgres(PostgresPrivateWebhookFactory factory) : WebhookDeliveryTests(factory), IClassFixture<PostgresPrivateWebhookFactory>;
