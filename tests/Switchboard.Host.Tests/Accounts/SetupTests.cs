using System.Net;
using System.Net.Http.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Accounts;

/// <summary>First run without a configured administrator: the one-time setup link creates the owner.</summary>
public abstract class SetupTests(SwitchboardFactory factory)
{
    private readonly SwitchboardFactory _factory = factory;

    [Fact]
    public async Task SetupPage_Get_ServesTheForm()
    {
        using var response = await _factory.CreateClient().GetAsync("/setup?token=abc");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\" action=\"/setup\">", page, StringComparison.Ordinal);
        Assert.Contains("value=\"abc\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetupPage_TokenWithMarkup_IsEncoded()
    {
        using var response = await _factory.CreateClient().GetAsync("/setup?token=" + Uri.EscapeDataString("\"><script>alert(1)</script>"));

        var page = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_WrongToken_Returns403()
    {
        var problem = await _factory.CreateClient()
            .PostAsJsonAsync("/api/v1/setup", new { token = "not-the-token", email = "boss@example.test", name = "Boss", password = "a long enough password" })
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("This setup link is not valid or has already been used.", problem.Detail());
    }

    [Fact]
    public async Task SetupForm_WrongToken_Returns403PageSayingWhy()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = "not-the-token",
            ["email"] = "boss@example.test",
            ["name"] = "Boss",
            ["password"] = "a long enough password",
        });

        using var response = await _factory.CreateClient().PostAsync("/setup", form);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("This setup link is not valid or has already been used.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_LinkFromStartUp_CreatesTheOwnerOnce()
    {
        var token = ConsoleCapture.SetupToken(_factory.PublicUrl);
        Assert.False(token is null, $"The host printed no setup link starting with {_factory.PublicUrl}.");
        var client = _factory.CreateClient();
        var email = $"boss-{Guid.NewGuid():N}@example.test";

        var owner = await client.PostAsJsonAsync("/api/v1/setup", new { token, email, name = "Boss", password = "a long enough password" })
            .ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal("owner", owner.Str("role"));
        Assert.Equal(email, owner.Str("email"));
        Assert.Equal(3, owner.GetProperty("departmentIds").GetArrayLength());
        await _factory.SignInAsync(email, "a long enough password");
        var again = await client.PostAsJsonAsync("/api/v1/setup", new { token, email = "second@example.test", name = "Second", password = "a long enough password" })
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("This setup link is not valid or has already been used.", again.Detail());
    }

    [Fact]
    public async Task Tickets_BeforeSetup_Returns401()
    {
        await _factory.CreateClient().GetAsync("/api/v1/tickets").ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}

public sealed class SetupTests_Sqlite(SqliteSetupFactory factory) : SetupTests(factory), IClassFixture<SqliteSetupFactory>;

public sealed class SetupTests_Postgres(PostgresSetupFactory factory) : SetupTests(factory), IClassFixture<PostgresSetupFactory>;
