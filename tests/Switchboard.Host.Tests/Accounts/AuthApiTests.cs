using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Accounts;

public abstract class AuthApiTests(SwitchboardFactory factory) : ApiTests(factory)
{
    private const string BadCredentials = "The email address or password is not correct.";

    [Fact]
    public async Task SignIn_RightPassword_ReturnsTokenAndAgent()
    {
        var body = await Factory.CreateClient()
            .PostAsJsonAsync("/api/v1/auth/token", new { email = "  OWNER@Switchboard.test ", password = SwitchboardFactory.AdminPassword })
            .ShouldBeAsync(HttpStatusCode.OK);

        Assert.StartsWith("sb_", body.Str("token"), StringComparison.Ordinal);
        Assert.Equal(Factory.Clock.GetUtcNow().AddDays(7), body.GetProperty("expiresAt").GetDateTimeOffset());
        var agent = body.GetProperty("agent");
        Assert.Equal(SwitchboardFactory.AdminEmail, agent.Str("email"));
        Assert.Equal(SwitchboardFactory.AdminName, agent.Str("name"));
        Assert.Equal("owner", agent.Str("role"));
    }

    [Fact]
    public async Task SignIn_WrongPassword_Returns401ProblemDetails()
    {
        var problem = await Factory.CreateClient()
            .PostAsJsonAsync("/api/v1/auth/token", new { email = SwitchboardFactory.AdminEmail, password = "not the password" })
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal("Sign-in failed", problem.Str("title"));
        Assert.Equal(BadCredentials, problem.Detail());
    }

    [Fact]
    public async Task SignIn_UnknownEmail_Returns401WithSameMessageAsWrongPassword()
    {
        var problem = await Factory.CreateClient()
            .PostAsJsonAsync("/api/v1/auth/token", new { email = UniqueEmail("nobody"), password = "whatever password" })
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal(BadCredentials, problem.Detail());
    }

    [Fact]
    public async Task SignIn_MissingPassword_Returns400NamingWhatIsMissing()
    {
        var problem = await Factory.CreateClient()
            .PostAsJsonAsync("/api/v1/auth/token", new { email = SwitchboardFactory.AdminEmail })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("password", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_FiveFailures_LocksAccountEvenForRightPassword()
    {
        var agent = await CreateAgentAsync();
        var anonymous = Factory.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = agent.Email, password = "wrong password " + i })
                .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }

        var problem = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = agent.Email, password = agent.Password })
            .ShouldBeProblemAsync(HttpStatusCode.Locked);

        Assert.Equal("Account locked", problem.Str("title"));
        Assert.Contains("Too many failed sign-ins", problem.Detail(), StringComparison.Ordinal);
        var listed = await GetAsync($"/api/v1/agents/{agent.Id}");
        Assert.Equal(Factory.Clock.GetUtcNow().AddMinutes(15), listed.GetProperty("lockedUntil").GetDateTimeOffset());
    }

    [Fact]
    public async Task SignIn_FourFailuresThenSuccess_DoesNotLock()
    {
        var agent = await CreateAgentAsync();
        var anonymous = Factory.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = agent.Email, password = "wrong password " + i })
                .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }
        await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = agent.Email, password = agent.Password })
            .ShouldBeAsync(HttpStatusCode.OK);

        // The count starts again after a success: four more failures still do not lock.
        for (var i = 0; i < 4; i++)
        {
            await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = agent.Email, password = "wrong again " + i })
                .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }
        await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = agent.Email, password = agent.Password })
            .ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SignIn_LockedAccountAfterLockoutEnds_Succeeds()
    {
        var agent = await CreateAgentAsync();
        var anonymous = Factory.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = agent.Email, password = "wrong password " + i })
                .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }

        Factory.Clock.Advance(TimeSpan.FromMinutes(16));

        await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = agent.Email, password = agent.Password })
            .ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Tickets_Anonymous_Returns401ProblemJson()
    {
        using var response = await Factory.CreateClient().GetAsync("/api/v1/tickets");

        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Tickets_UnknownToken_Returns401()
    {
        var client = Factory.ClientWithToken("sb_this-token-was-never-issued");

        await client.GetAsync("/api/v1/tickets").ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_SignedIn_ReturnsTheAgent()
    {
        var agent = await CreateAgentAsync();

        var me = await GetAsync("/api/v1/me", agent.Client);

        Assert.Equal(agent.Id, me.Id());
        Assert.Equal(agent.Email, me.Str("email"));
        Assert.Equal("agent", me.Str("role"));
    }

    [Fact]
    public async Task SignOut_RevokesTheToken()
    {
        var (client, _) = await Factory.SignInAsync(SwitchboardFactory.AdminEmail, SwitchboardFactory.AdminPassword);
        await GetAsync("/api/v1/me", client);

        await client.DeleteAsync("/api/v1/auth/token").ShouldBeAsync(HttpStatusCode.NoContent);

        await client.GetAsync("/api/v1/me").ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await GetAsync("/api/v1/me"); // other sessions of the same agent keep working
    }

    [Fact]
    public async Task SessionToken_AfterSevenDays_Expires()
    {
        var agent = await CreateAgentAsync();
        await GetAsync("/api/v1/me", agent.Client);

        Factory.Clock.Advance(TimeSpan.FromDays(7));

        await agent.Client.GetAsync("/api/v1/me").ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ApiToken_Created_SecretShownOnceAndAuthenticates()
    {
        var agent = await CreateAgentAsync();

        var created = await agent.Client.PostAsJsonAsync("/api/v1/tokens", new { name = "CRM integration" }).ShouldBeAsync(HttpStatusCode.Created);
        var secret = created.Str("token");

        Assert.StartsWith("sb_", secret, StringComparison.Ordinal);
        Assert.Equal("CRM integration", created.Str("name"));
        var listed = await GetAsync("/api/v1/tokens", agent.Client);
        var entry = Assert.Single(listed.Items());
        Assert.Equal(created.Id(), entry.Id());
        Assert.Equal(secret[..10], entry.Str("prefix"));
        Assert.DoesNotContain(secret, listed.GetRawText(), StringComparison.Ordinal);
        var me = await GetAsync("/api/v1/me", Factory.ClientWithToken(secret));
        Assert.Equal(agent.Id, me.Id());
    }

    [Fact]
    public async Task ApiToken_Revoked_StopsWorking()
    {
        var agent = await CreateAgentAsync();
        var created = await agent.Client.PostAsJsonAsync("/api/v1/tokens", new { name = "Script" }).ShouldBeAsync(HttpStatusCode.Created);
        var apiClient = Factory.ClientWithToken(created.Str("token"));
        await GetAsync("/api/v1/tickets", apiClient);

        await agent.Client.DeleteAsync($"/api/v1/tokens/{created.Id()}").ShouldBeAsync(HttpStatusCode.NoContent);

        await apiClient.GetAsync("/api/v1/tickets").ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var listed = await GetAsync("/api/v1/tokens", agent.Client);
        Assert.NotEqual(JsonValueKind.Null, listed.Items().Single().GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task ApiToken_OfAnotherAgent_CannotBeRevokedByAPlainAgent()
    {
        var owner = await CreateAgentAsync();
        var other = await CreateAgentAsync();
        var created = await owner.Client.PostAsJsonAsync("/api/v1/tokens", new { name = "Mine" }).ShouldBeAsync(HttpStatusCode.Created);

        await other.Client.DeleteAsync($"/api/v1/tokens/{created.Id()}").ShouldBeProblemAsync(HttpStatusCode.NotFound);

        await GetAsync("/api/v1/me", Factory.ClientWithToken(created.Str("token")));
    }

    [Fact]
    public async Task ApiToken_WithoutName_Returns400()
    {
        var problem = await Admin.PostAsJsonAsync("/api/v1/tokens", new { name = " " }).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("name", problem.Detail(), StringComparison.Ordinal);
    }
}

public sealed class AuthApiTests_Sqlite(SqliteFactory factory) : AuthApiTests(factory), IClassFixture<SqliteFactory>;

public sealed class AuthApiTests_Postgres(PostgresFactory factory) : AuthApiTests(factory), IClassFixture<PostgresFactory>;
