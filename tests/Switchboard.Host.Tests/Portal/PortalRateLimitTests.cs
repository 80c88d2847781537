using System.Net;
using Microsoft.AspNetCore.Hosting;
using Switchboard.Core.Data;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Portal;

/// <summary>A host with the portal's default-like low limits (the limits live in memory, not in the database, so one provider is enough).</summary>
public sealed class LowLimitPortalFactory() : SwitchboardFactory(DatabaseProvider.Sqlite)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:AccountRequestsPerMinute", "3");
        builder.UseSetting("Portal:SearchesPerMinute", "3");
    }
}

public sealed class PortalRateLimitTests(LowLimitPortalFactory factory) : PortalTests(factory), IClassFixture<LowLimitPortalFactory>
{
    [Fact]
    public async Task SignIn_PastThePerAddressLimit_AnswersTooManyRequests()
    {
        var visitor = Visitor();
        var token = FormToken(await HtmlAsync(visitor, "/portal/signin"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await visitor.PostAsync("/portal/signin", new FormUrlEncodedContent(
                Fields(("email", "x@example.test"), ("password", "whatever password"), ("__RequestVerificationToken", token))));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Search_PastThePerAddressLimit_AnswersTooManyRequests()
    {
        var visitor = Visitor();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await visitor.GetAsync("/portal/search/suggest?q=help" + i);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.All(statuses[..^1], s => Assert.Equal(HttpStatusCode.OK, s));
    }
}
