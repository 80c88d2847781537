using Microsoft.Playwright;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Browser;

/// <summary>The browser tests' footing: a real Chromium reaches the host over loopback.</summary>
public sealed class BrowserHostTests(SqliteBrowserHost host) : IClassFixture<SqliteBrowserHost>
{
    [Fact]
    public async Task Api_reference_page_opens_in_the_browser()
    {
        var page = await host.NewPageAsync();

        var response = await page.GotoAsync("/api/reference");

        Assert.NotNull(response);
        Assert.True(response.Ok, $"GET /api/reference answered {response.Status}");
        Assert.StartsWith("http://127.0.0.1:", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("Switchboard"));
    }
}
