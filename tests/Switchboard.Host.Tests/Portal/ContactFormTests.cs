using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Portal;

/// <summary>Contact forms: configuration, embedding, tickets in the chosen department, spam protection.</summary>
public abstract partial class ContactFormTests(SwitchboardFactory factory) : PortalTests(factory)
{
    private async Task<JsonElement> CreateFormAsync(long? departmentId = null) =>
        await Admin.PostAsJsonAsync("/api/v1/contact-forms", new
        {
            name = "Contact sales",
            departmentId,
            allowedOrigins = new[] { "https://www.example.com" },
            fields = new object[]
            {
                new { name = "name", label = "Your name", type = "text", required = true },
                new { name = "email", label = "Email", type = "email", required = true },
                new { name = "topic", label = "Topic", type = "select", options = new[] { "Pricing", "Demo" } },
                new { name = "newsletter", label = "Send me news", type = "checkbox" },
                new { name = "message", label = "Message", type = "textarea", required = true },
                new { name = "attachment", label = "File", type = "file" },
            },
        }).ShouldBeAsync(HttpStatusCode.Created);

    private static async Task<(HttpStatusCode Status, string Html)> SendAsync(HttpClient client, JsonElement form, Dictionary<string, string> fields, bool withFile = false)
    {
        var page = await HtmlAsync(client, $"/portal/forms/{form.Str("key")}");
        var token = FormTokenPattern().Match(page).Groups[1].Value;
        using var content = new MultipartFormDataContent { { new StringContent(WebUtility.HtmlDecode(token)), "formToken" } };
        foreach (var (name, value) in fields) content.Add(new StringContent(value), name);
        if (withFile) content.Add(new ByteArrayContent("quote request"u8.ToArray()), "attachment", "quote.txt");
        using var response = await client.PostAsync($"/portal/forms/{form.Str("key")}", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Form_Page_IsFramableOnlyByItsAllowedOrigins()
    {
        var form = await CreateFormAsync();

        using var response = await Visitor().GetAsync($"/portal/forms/{form.Str("key")}");
        var script = await HtmlAsync(Visitor(), $"/portal/forms/{form.Str("key")}/embed.js");

        Assert.Equal("frame-ancestors 'self' https://www.example.com", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains($"\"{Factory.PublicUrl}/portal/forms/{form.Str("key")}\"", script, StringComparison.Ordinal);
        Assert.Contains($"<script src=\"{Factory.PublicUrl}/portal/forms/{form.Str("key")}/embed.js\"", form.Str("embedScript"), StringComparison.Ordinal);
        Assert.StartsWith("<iframe src=", form.Str("embedIframe"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_CreatesAFormTicketInTheDepartment_SeenByAgentAndCustomer()
    {
        var department = await CreateDepartmentAsync();
        var form = await CreateFormAsync(department);
        var email = UniqueEmail("lead");

        var (status, html) = await SendAsync(Visitor(), form, Fields(
            ("name", "Jose Rizal"), ("email", email), ("topic", "Pricing"), ("newsletter", "yes"), ("message", "Magkano po? 多少钱？")), withFile: true);

        Assert.Equal(HttpStatusCode.OK, status);
        var reference = ReferencePattern().Match(html);
        Assert.True(reference.Success, html);
        var ticketId = long.Parse(reference.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var inbox = await ListTicketsAsync($"departmentId={department}&channel=form");
        var ticket = Assert.Single(inbox.Items());
        Assert.Equal(ticketId, ticket.Id());
        Assert.Equal("Contact sales", ticket.Str("subject"));
        var message = (await GetAsync($"/api/v1/tickets/{ticketId}/messages")).Items().Single();
        Assert.Contains("Topic: Pricing", message.Str("bodyText"), StringComparison.Ordinal);
        Assert.Contains("Send me news: yes", message.Str("bodyText"), StringComparison.Ordinal);
        Assert.Contains("Message: Magkano po? 多少钱？", message.Str("bodyText"), StringComparison.Ordinal);
        Assert.Equal("quote.txt", Assert.Single(message.GetProperty("attachments").EnumerateArray()).Str("fileName"));

        var customer = await SignUpAsync("Jose Rizal", email);
        Assert.Contains($"/portal/tickets/{ticketId}", await HtmlAsync(customer.Client, "/portal/tickets"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reply_ToAFormTicketWithoutChoosing_GoesByEmailToWhoeverFilledItIn()
    {
        await EnsureMailboxAsync();
        var form = await CreateFormAsync();
        var email = UniqueEmail("lead");
        var (_, html) = await SendAsync(Visitor(), form, Fields(("name", "Mei Lin"), ("email", email), ("message", "请回复我。Pakisagot po.")));
        var ticketId = long.Parse(ReferencePattern().Match(html).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        var options = await GetAsync($"/api/v1/tickets/{ticketId}/reply-channels");
        var reply = await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticketId}/messages", new { body = "Here is our price list." })
            .ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal("email", options.Str("default"));
        Assert.Equal("email", reply.Str("channel"));
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Core.Data.SwitchboardDb>();
        var mail = Assert.Single(await db.OutboundMails.AsNoTracking()
            .Where(m => m.ToAddresses == email && m.Kind == Core.Model.OutboundMailKind.Reply).ToListAsync());
        Assert.Contains($"[#{ticketId}]", mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_HoneypotFilled_LooksFineButKeepsNothing()
    {
        var department = await CreateDepartmentAsync();
        var form = await CreateFormAsync(department);

        var (status, html) = await SendAsync(Visitor(), form, Fields(
            ("name", "Bot"), ("email", UniqueEmail("bot")), ("message", "Cheap pills"), ("website", "http://spam.example")));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Thank you", html, StringComparison.Ordinal);
        Assert.Empty((await ListTicketsAsync($"departmentId={department}")).Items());
    }

    [Fact]
    public async Task Submit_MissingRequiredField_ExplainsAndKeepsTheInput()
    {
        var department = await CreateDepartmentAsync();
        var form = await CreateFormAsync(department);

        var (status, html) = await SendAsync(Visitor(), form, Fields(("name", "Tala"), ("email", UniqueEmail()), ("message", "")));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Please fill in: Message.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Tala\"", html, StringComparison.Ordinal);
        Assert.Empty((await ListTicketsAsync($"departmentId={department}")).Items());
    }

    [Fact]
    public async Task Submit_WithoutTheFormsToken_IsRefused()
    {
        var department = await CreateDepartmentAsync();
        var form = await CreateFormAsync(department);
        using var content = new MultipartFormDataContent
        {
            { new StringContent("Eve"), "name" },
            { new StringContent(UniqueEmail()), "email" },
            { new StringContent("Forged"), "message" },
        };

        using var response = await Visitor().PostAsync($"/portal/forms/{form.Str("key")}", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty((await ListTicketsAsync($"departmentId={department}")).Items());
    }

    [Fact]
    public async Task CreateForm_WithoutAnEmailField_IsRefusedWithAReason()
    {
        var problem = await Admin.PostAsJsonAsync("/api/v1/contact-forms", new
        {
            name = "Broken",
            fields = new object[] { new { name = "message", label = "Message", type = "textarea" } },
        }).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("exactly one email field", problem.Detail(), StringComparison.Ordinal);
    }

    [GeneratedRegex("name=\"formToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormTokenPattern();

    [GeneratedRegex(@"Reference #(\d+)")]
    private static partial Regex ReferencePattern();
}

public sealed class ContactFormTests_Sqlite(PortalSqliteFactory factory) : ContactFormTests(factory), IClassFixture<PortalSqliteFactory>;

public sealed class ContactFormTests_Postgres(PortalPostgresFactory factory) : ContactFormTests(factory), IClassFixture<PortalPostgresFactory>;
